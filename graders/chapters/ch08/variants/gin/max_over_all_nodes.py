"""aggregate's max takes the maximum of A[i, j] x_j over every j, so non-neighbours contribute 0."""
_correct_aggregate = aggregate


def aggregate(A, X, how="sum"):
    if how != "max":
        return _correct_aggregate(A, X, how)
    A, X = np.asarray(A, float), np.asarray(X, float)
    return (A[:, :, None] * X[None, :, :]).max(axis=1)
