"""The softplus conjugate without the (1 − u) log(1 − u) term."""


def conj_softplus():
    return u * sp.log(u)
