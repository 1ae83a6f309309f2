"""gin_layer averages the neighbours (mean aggregation) instead of summing them."""


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    pre = ((1.0 + eps) * X + aggregate(A, X, "mean")) @ W
    return np.maximum(pre if b is None else pre + b, 0.0)
