"""gin_layer weighs the node itself by ε instead of 1 + ε."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    pre = (eps * X + A @ X) @ W
    return np.maximum(pre if b is None else pre + b, 0.0)
