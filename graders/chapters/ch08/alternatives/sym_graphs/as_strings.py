"""Every answer as a string, in another but equal form."""


def triangle_count():
    return "trace(A@A@A)/6"


def gin_preactivation():
    return "(1 + eps)*X*W + A*X*W"


def sgns_grad_positive():
    return "-1/(1 + exp(s))"


def sgns_grad_negative():
    return "exp(s)/(1 + exp(s))"
