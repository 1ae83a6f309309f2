"""The derivatives obtained by differentiating the loss with sympy (sp.diff), not typed in; one as a string."""


def sigmoid_derivative():
    return "exp(z)/(1 + exp(z))**2"


def _loss():
    q = sigmoid(beta0 + beta1 * x)
    return -t * sp.log(q) - (1 - t) * sp.log(1 - q)


def logistic_grad_beta0():
    return sp.simplify(sp.diff(_loss(), beta0))


def logistic_grad_beta1():
    return sp.diff(_loss(), beta1)
