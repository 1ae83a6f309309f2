"""gin_layer drops the (1 + ε) self term: ReLU(A X W + b)."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    pre = A @ X @ W
    return np.maximum(pre if b is None else pre + b, 0.0)
