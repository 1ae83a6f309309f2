"""The box QP by exact cyclic coordinate ascent to a rounding-level KKT residual.

The box QP by exact coordinate ascent (λ_i ← clip(λ_i + (1 − (Qλ)_i)/Q_ii, 0, C), cyclic sweeps) until the
projected-gradient KKT residual reaches rounding level; decision values by einsum."""


def ksvm_nobias_fit(K, y, C):
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K should be a square (n, n) Gram matrix; got K.shape={K.shape}")
    y = _check_labels(y, n=K.shape[0])
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    Q = np.outer(y, y) * K
    n = y.size
    lam = np.zeros(n)
    grad = np.ones(n)                                     # 1 − Qλ
    scale = 1.0 + C * np.abs(Q).max(initial=0.0) * n
    for _ in range(100000):
        for i in range(n):
            if Q[i, i] > 0:
                new = min(C, max(0.0, lam[i] + grad[i] / Q[i, i]))
            else:
                new = C if grad[i] > 0 else 0.0           # a flat coordinate: the objective is linear in λ_i
            if new != lam[i]:
                grad -= Q[:, i] * (new - lam[i])
                lam[i] = new
        residual = np.max(np.abs(lam - np.clip(lam + grad, 0.0, C)), initial=0.0)
        if residual <= 1e-14 * scale:
            break
    return lam


def ksvm_nobias_decision(K_test, lam, y):
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    n = K_test.shape[1]
    lam = check_array(lam, name="lam", shape=(n,), layout="(n,) with n == K_test.shape[1]")
    y = _check_labels(y, n=n)
    return np.einsum("mn,n->m", K_test, lam * y)
