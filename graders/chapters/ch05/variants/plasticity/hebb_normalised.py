"""hebb_step renormalises w to unit length after the Hebbian update (that is not Hebb's rule)."""


def hebb_step(w, x, eta):
    new = w + eta * (w @ x) * x
    return new / np.linalg.norm(new)
