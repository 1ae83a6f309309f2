"""Gradients of the squared error (q − t)² instead of the log-loss: 2(q − t)q(1 − q)."""


def logistic_grad_beta0():
    q = sigmoid(beta0 + beta1 * x)
    return 2 * (q - t) * q * (1 - q)


def logistic_grad_beta1():
    q = sigmoid(beta0 + beta1 * x)
    return 2 * (q - t) * q * (1 - q) * x
