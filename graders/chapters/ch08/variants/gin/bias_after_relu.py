"""gin_layer adds the bias after the ReLU."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    out = np.maximum(((1.0 + eps) * X + A @ X) @ W, 0.0)
    return out if b is None else out + b
