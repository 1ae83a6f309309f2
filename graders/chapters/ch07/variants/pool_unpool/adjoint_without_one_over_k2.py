"""avgpool2d_adjoint copies each value to its window without the 1/k² factor."""

_correct_adjoint = avgpool2d_adjoint


def avgpool2d_adjoint(y, k, s, in_hw):
    return _correct_adjoint(y, k, s, in_hw) * k**2
