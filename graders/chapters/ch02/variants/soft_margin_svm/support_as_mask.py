"""support returned as the boolean mask α_i > 1e-6·C instead of the sorted integer indices the docstring asks for."""

_soft_margin_svm_right = soft_margin_svm


def soft_margin_svm(X, y, C):
    result = _soft_margin_svm_right(X, y, C)
    support = np.zeros(len(result["alpha"]), dtype=bool)
    support[result["support"]] = True                     # bug: a mask, not the indices
    return {**result, "support": support}
