"""The hard-margin dual solved by SMO (maximal violating pair, C = ∞) to a KKT gap of 1e-12 instead of SLSQP."""


def hard_margin_svm(X, y):
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    y = _check_labels(y, n=X.shape[0])
    _check_separable(X, y, name="X")
    Q = np.outer(y, y) * (X @ X.T)
    alpha = _alt_smo(Q, y, np.inf)
    w = (alpha * y) @ X
    sv = alpha > 1e-6 * alpha.max()
    b = float(np.mean(y[sv] - X[sv] @ w))
    return {"alpha": alpha, "w": w, "b": b}


def _alt_smo(Q, y, C, eps=1e-12, max_iter=200000):
    """α minimizing ½αᵀQα − 1ᵀα s.t. yᵀα = 0, 0 ≤ α ≤ C by SMO (maximal violating pair, as in LIBSVM)."""
    n = y.size
    alpha = np.zeros(n)
    G = -np.ones(n)                                       # ∇ = Qα − 1
    for _ in range(max_iter):
        up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
        low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
        score = -y * G
        i = int(np.flatnonzero(up)[np.argmax(score[up])])
        j = int(np.flatnonzero(low)[np.argmin(score[low])])
        if score[i] - score[j] <= eps:
            break
        curvature = max(Q[i, i] + Q[j, j] - 2.0 * y[i] * y[j] * Q[i, j], 1e-12)
        t = (score[i] - score[j]) / curvature             # along α_i += y_i t, α_j −= y_j t
        cap_i = C - alpha[i] if y[i] > 0 else alpha[i]
        cap_j = alpha[j] if y[j] > 0 else C - alpha[j]
        t = min(t, cap_i, cap_j)
        old_i, old_j = alpha[i], alpha[j]
        alpha[i] = C if t == cap_i and y[i] > 0 else (0.0 if t == cap_i else alpha[i] + y[i] * t)
        alpha[j] = 0.0 if t == cap_j and y[j] > 0 else (C if t == cap_j else alpha[j] - y[j] * t)
        G += Q[:, i] * (alpha[i] - old_i) + Q[:, j] * (alpha[j] - old_j)
    return alpha
