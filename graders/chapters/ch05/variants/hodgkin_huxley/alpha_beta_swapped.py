"""α and β swapped for every gate (dx/dt = β(1 − x) − αx)."""

_right_alpha, _right_beta = _alpha, _beta


def _alpha(gate, v):
    return _right_beta(gate, v)


def _beta(gate, v):
    return _right_alpha(gate, v)
