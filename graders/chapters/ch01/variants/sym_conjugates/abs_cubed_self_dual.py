"""|x|³/3 taken as self-conjugate (|u|³/3) instead of |u|^q/q with q = 3/2."""


def conj_abs_cubed():
    return sp.Abs(u) ** 3 / 3
