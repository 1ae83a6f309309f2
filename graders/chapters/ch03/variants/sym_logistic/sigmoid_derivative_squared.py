"""Sig′ = Sig² − Sig, a sign error (Sig(Sig − 1))."""


def sigmoid_derivative():
    return sigmoid(z) * (sigmoid(z) - 1)
