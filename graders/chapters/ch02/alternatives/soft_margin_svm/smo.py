"""The soft-margin dual solved by SMO (maximal violating pair) to a KKT gap of 1e-12; the hinge by np.clip."""


def soft_margin_svm(X, y, C):
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    y = _check_labels(y, n=X.shape[0])
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    Q = np.outer(y, y) * (X @ X.T)
    alpha = _alt_smo(Q, y, C)
    w = (alpha * y) @ X
    b = _alt_intercept(X @ w, y, alpha, C)
    return {"alpha": alpha, "w": w, "b": b, "support": np.nonzero(alpha > 1e-6 * C)[0]}


def hinge_primal(w, b, X, y, C):
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    w = check_array(w, name="w", shape=(X.shape[1],), layout="(d,) with d == X.shape[1]")
    b = check_scalar(b, name="b")
    y = _check_labels(y, n=X.shape[0], both=False)
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    slack = np.clip(1.0 - y * (X @ w + b), 0.0, None)
    return float(np.dot(w, w) / 2 + C * np.sum(slack))


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


def _alt_intercept(s, y, alpha, C):
    """b from s_i = Σ_j α_j y_j k(x_j, x_i): the mean of y_i − s_i over the free support vectors, with the
    fallbacks of the module docstring (0 < α < C above 1e-6·max α, then the midpoint of the KKT interval)."""
    scale = alpha.max() if np.isinf(C) else C
    gap = y - s
    free = (alpha > 1e-6 * scale) & (alpha < (1 - 1e-6) * C)
    if not free.any():
        free = (alpha > 1e-6 * alpha.max()) & (alpha < C)
    if free.any():
        return float(np.mean(gap[free]))
    zero = alpha <= 1e-6 * scale
    below = [gap[i] for i in range(y.size) if (zero[i] and y[i] > 0) or (not zero[i] and y[i] < 0)]
    above = [gap[i] for i in range(y.size) if (zero[i] and y[i] < 0) or (not zero[i] and y[i] > 0)]
    if below and above:
        return float((max(below) + min(above)) / 2)
    return float(max(below) if below else min(above))
