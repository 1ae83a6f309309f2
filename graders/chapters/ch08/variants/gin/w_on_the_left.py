"""gin_layer multiplies W on the left of the transposed features (WᵀXᵀ, shape (f_out, n)), as in a column layout."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    pre = W.T @ ((1.0 + eps) * X + A @ X).T
    if b is not None:
        pre = pre + np.asarray(b)[:, None]
    return np.maximum(pre, 0.0)
