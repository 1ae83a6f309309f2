"""The conjugate of eˣ written as u log u, without the −u."""


def conj_exp():
    return u * sp.log(u)
