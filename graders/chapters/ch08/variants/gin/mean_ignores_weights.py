"""aggregate's mean divides by the number of neighbours, not by Σ_j A[i, j] (wrong on weighted graphs)."""
_correct_aggregate = aggregate


def aggregate(A, X, how="sum"):
    if how != "mean":
        return _correct_aggregate(A, X, how)
    A, X = np.asarray(A, float), np.asarray(X, float)
    count = (A != 0).sum(axis=1, keepdims=True)
    return (A @ X) / np.maximum(count, 1)
