"""Sigmoid-kernel "counterexample" x = ±1: tanh(ηXXᵀ + ν) is singular but PSD when ν = 0."""


def sigmoid_counterexample(eta, nu):
    return np.array([[1.0], [-1.0]])
