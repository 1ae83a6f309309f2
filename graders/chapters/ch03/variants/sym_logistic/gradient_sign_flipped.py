"""Gradient with the sign flipped: t − Sig(β0 + β1x) (the ascent direction of the loss)."""


def logistic_grad_beta0():
    return t - sigmoid(beta0 + beta1 * x)


def logistic_grad_beta1():
    return (t - sigmoid(beta0 + beta1 * x)) * x
