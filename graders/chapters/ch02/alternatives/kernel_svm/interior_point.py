"""The kernel dual solved by a primal–dual interior-point method; decision values summed over training points."""


def kernel_svm_fit(K, y, C):
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    check_dim(K.shape[1], K.shape[0], what="K.shape[0] == K.shape[1] (K square)")
    _check_gram(K)
    y = _check_labels(y, n=K.shape[0])
    if isinstance(C, (float, np.floating)) and C == np.inf:
        C = float("inf")
        _check_separable(K, y, name="K")
    else:
        C = check_scalar(C, name="C", lo=0, lo_open=True)
    Q = np.outer(y, y) * K
    alpha = _alt_interior_point(Q, y, C)
    scale = alpha.max() if np.isinf(C) else C
    alpha = np.where(alpha < 1e-12 * scale, 0.0, alpha)   # the interior point's 1e-15 residue is 0
    return {"alpha": alpha, "b": _alt_intercept(K @ (alpha * y), y, alpha, C)}


def kernel_svm_decision(K_test, alpha, y, b):
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    n = K_test.shape[1]
    alpha = check_array(alpha, name="alpha", shape=(n,), layout="(n,) with n == K_test.shape[1]")
    y = _check_labels(y, n=K_test.shape[1], both=False)
    b = check_scalar(b, name="b")
    f = np.full(K_test.shape[0], b)
    for i in range(K_test.shape[1]):
        f += alpha[i] * y[i] * K_test[:, i]
    return f


def _alt_interior_point(Q, y, C, tol=1e-14, max_iter=300):
    """α minimizing ½αᵀQα − 1ᵀα s.t. yᵀα = 0, 0 ≤ α ≤ C by a primal–dual interior-point method
    (slack t = C − α, multipliers z ≥ 0 for α ≥ 0 and s ≥ 0 for t ≥ 0), Newton steps on the perturbed KKT
    equations; C = ∞ drops the upper bound."""
    n = y.size
    bounded = bool(np.isfinite(C))
    alpha = np.full(n, C / 2 if bounded else 1.0)
    slack = C - alpha if bounded else np.ones(n)
    z = np.ones(n)
    s = np.ones(n) if bounded else np.zeros(n)
    nu = 0.0
    for _ in range(max_iter):
        r_dual = Q @ alpha - 1.0 + nu * y - z + s
        r_prim = y @ alpha
        gap = (alpha @ z + (slack @ s if bounded else 0.0)) / (2 * n)
        if gap < tol * max(1.0, alpha.max()) and np.abs(r_dual).max() < 1e-12 * max(1.0, np.abs(Q).max()):
            break
        mu = 0.1 * gap
        M = np.zeros((n + 1, n + 1))
        M[:n, :n] = Q + np.diag(z / alpha + (s / slack if bounded else 0.0))
        M[:n, n] = M[n, :n] = y
        rhs = np.append(-r_dual + (mu / alpha - z) - ((mu / slack - s) if bounded else 0.0), -r_prim)
        with np.errstate(all="ignore"):
            step = np.linalg.solve(M, rhs)
        if not np.all(np.isfinite(step)):
            break                                         # rounding ends the Newton steps: keep the last iterate
        d_alpha, d_nu = step[:n], step[n]
        d_z = mu / alpha - z - z / alpha * d_alpha
        d_s = (mu / slack - s + s / slack * d_alpha) if bounded else np.zeros(n)
        length = 1.0
        for v, dv in ((alpha, d_alpha), (slack, -d_alpha if bounded else np.zeros(n)), (z, d_z), (s, d_s)):
            shrinking = dv < 0
            if shrinking.any():
                length = min(length, 0.99 * float(np.min(-v[shrinking] / dv[shrinking])))
        alpha = alpha + length * d_alpha
        slack = slack - length * d_alpha if bounded else slack
        nu += length * d_nu
        z = z + length * d_z
        s = s + length * d_s
    return np.clip(alpha, 0.0, C)


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
