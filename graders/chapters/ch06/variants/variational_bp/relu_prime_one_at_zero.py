"""relu_prime takes ReLU′(0) = 1 (g >= 0), where the module pins ReLU′(0) := 0."""


def relu_prime(g):
    return (np.asarray(g) >= 0).astype(np.float64)
