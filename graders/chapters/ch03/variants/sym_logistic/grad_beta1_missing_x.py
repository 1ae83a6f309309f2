"""∂ℓ/∂β1 without the chain-rule factor x, given as a string."""


def logistic_grad_beta1():
    return "1/(1 + exp(-(beta0 + beta1*x))) - t"
