"""Every answer given as a string (a supported format); only the softplus one is wrong (u log u − (1−u) log(1−u))."""


def conj_exp():
    return "u*log(u) - u"


def conj_xlogx():
    return "exp(u - 1)"


def conj_neglog():
    return "-1 - log(-u)"


def conj_inv():
    return "-2*sqrt(-u)"


def conj_softplus():
    return "u*log(u) - (1 - u)*log(1 - u)"


def conj_sqrt1px2():
    return "-(1 - u**2)**(1/2)"


def conj_abs_cubed():
    return "2*Abs(u)**(3/2)/3"


def conj_quad():
    return "u**2/(2*a)"
