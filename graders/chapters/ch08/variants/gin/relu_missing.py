"""gin_layer forgets the ReLU: ((1 + ε) I + A) X W + b."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    pre = ((1.0 + eps) * X + A @ X) @ W
    return pre if b is None else pre + b
