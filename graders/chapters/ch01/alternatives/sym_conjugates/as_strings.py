"""The conjugates returned as formula strings (the docstring allows text), in another but equal form."""


def conj_exp():
    return "u*log(u) - u"


def conj_xlogx():
    return "exp(u)*exp(-1)"


def conj_neglog():
    return "-(1 + log(-u))"


def conj_inv():
    return "-2*(-u)**(1/2)"


def conj_softplus():
    return "u*log(u/(1 - u)) + log(1 - u)"


def conj_sqrt1px2():
    return "-sqrt(1 - u**2)"


def conj_abs_cubed():
    return "(2/3)*Abs(u)**(3/2)"


def conj_quad():
    return "u**2/(2*a)"
