"""The box scaled as 0 ≤ α ≤ C/n (the averaged-hinge convention), not the book's C."""

_reference_soft = soft_margin_svm


def soft_margin_svm(X, y, C):
    n = np.asarray(y).size
    res = _reference_soft(X, y, C / n)
    res["support"] = np.flatnonzero(res["alpha"] > 1e-6 * C)
    return res
