"""The box QP by a projected-gradient / Newton-on-the-free-set active-set method.

The box QP by a primal active-set method: projected-gradient steps to find the bounds, then Newton on the free
variables (least squares on the free block) with a projected line search; decision values summed in a loop."""


def ksvm_nobias_fit(K, y, C):
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K should be a square (n, n) Gram matrix; got K.shape={K.shape}")
    y = _check_labels(y, n=K.shape[0])
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    Q = (y[:, None] * K) * y[None, :]
    Q = (Q + Q.T) / 2
    n = y.size

    def value(v):
        return v.sum() - 0.5 * v @ Q @ v

    lam = np.full(n, C / 2)
    L = max(float(np.linalg.eigvalsh(Q)[-1]) if n else 0.0, 1e-300)
    for _ in range(5000):
        grad = 1.0 - Q @ lam                              # ascent direction of the dual
        lam_pg = np.clip(lam + grad / L, 0.0, C)           # projected gradient step (fixes the bounds)
        free = (lam_pg > 0) & (lam_pg < C)
        trial = lam_pg.copy()
        if free.any():
            g = 1.0 - Q @ lam_pg
            step = np.linalg.lstsq(Q[np.ix_(free, free)], g[free], rcond=None)[0]
            t = 1.0
            while t > 1e-12:
                candidate = lam_pg.copy()
                candidate[free] = np.clip(lam_pg[free] + t * step, 0.0, C)
                if value(candidate) >= value(lam_pg):
                    trial = candidate
                    break
                t /= 2
        done = np.max(np.abs(trial - lam), initial=0.0) <= 1e-15 * max(1.0, C)
        lam = trial
        residual = np.max(np.abs(lam - np.clip(lam + 1.0 - Q @ lam, 0.0, C)), initial=0.0)
        if done or residual <= 1e-14 * (1.0 + C * np.abs(Q).max(initial=0.0) * n):
            break
    return lam


def ksvm_nobias_decision(K_test, lam, y):
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    n = K_test.shape[1]
    lam = check_array(lam, name="lam", shape=(n,), layout="(n,) with n == K_test.shape[1]")
    y = _check_labels(y, n=n)
    f = np.zeros(K_test.shape[0])
    for j in range(K_test.shape[1]):
        f = f + y[j] * lam[j] * K_test[:, j]
    return f
