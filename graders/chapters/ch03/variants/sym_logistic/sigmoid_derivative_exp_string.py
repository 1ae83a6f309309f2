"""Sig′ = e^{−z}/(1 + e^{−z}) as a string (the square of the denominator is missing)."""


def sigmoid_derivative():
    return "exp(-z)/(1 + exp(-z))"
