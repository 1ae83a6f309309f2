"""gin_layer and aggregate use Aᵀ: node i sums the nodes that receive from it (out-neighbours)."""
_correct_aggregate = aggregate
_correct_gin_layer = gin_layer


def aggregate(A, X, how="sum"):
    return _correct_aggregate(np.asarray(A, float).T, X, how)


def gin_layer(A, X, W, eps, b=None):
    return _correct_gin_layer(np.asarray(A, float).T, X, W, eps, b)
