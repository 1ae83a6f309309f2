"""The derivatives written with exponentials: Sig′ = e^{−z}/(1 + e^{−z})², ∂ℓ/∂β0 = 1/(1 + e^{−β0−β1x}) − t."""


def sigmoid_derivative():
    return sp.exp(-z) / (1 + sp.exp(-z)) ** 2


def logistic_grad_beta0():
    return 1 / (1 + sp.exp(-(beta0 + beta1 * x))) - t


def logistic_grad_beta1():
    return x / (1 + sp.exp(-beta0 - beta1 * x)) - t * x
