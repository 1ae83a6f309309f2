"""hard_margin_svm forms the rows y_i x_i in the caller's X (X *= y[:, None]) to compute w."""


def hard_margin_svm(X, y):
    alpha = _svm_dual(X @ X.T, y, np.inf)
    X *= y[:, None]                                       # rows y_i x_i, in the caller's array
    w = X.T @ alpha
    sv = alpha > _BOUND_RTOL * alpha.max()
    b = float(np.mean(y[sv] - (y[sv, None] * X[sv]) @ w))
    return {"alpha": alpha, "w": w, "b": b}
