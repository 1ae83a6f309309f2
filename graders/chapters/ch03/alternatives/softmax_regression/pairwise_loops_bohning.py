"""Softmax as 1/Σ_j e^{z_j − z_i}, per-sample loss loops, the fit by Böhning's bound (MM) to convergence.

Softmax as 1/Σ_j e^{z_j − z_i} (stable without a max), the loss and gradients sample by sample, and the fit by
Böhning's bound: minorize–maximize with the fixed curvature ½(I − 11ᵀ/c) ⊗ x̃x̃ᵀ, iterated to convergence."""


def softmax(Z, axis=0):
    Z = check_array(Z, name="Z")
    if Z.ndim == 0:
        raise ValueError(f"Z should have at least 1 dimension; got Z.shape={Z.shape}")
    axis = check_int(axis, name="axis", lo=-Z.ndim, hi=Z.ndim - 1)
    Zm = np.moveaxis(Z, axis, 0)                          # (c, ...)
    with np.errstate(over="ignore"):
        ratios = np.exp(Zm[None, :] - Zm[:, None])         # [i, j] = e^{z_j − z_i}; inf is fine: 1/inf = 0
    return np.moveaxis(1.0 / ratios.sum(axis=1), 0, axis)


def softmax_xent(W, b, X, Y):
    W = check_array(W, name="W", ndim=2, layout="(p, c)")
    p, c = W.shape
    b = check_array(b, name="b", shape=(c,), layout="(c,) with c == W.shape[1]")
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    check_dim(X.shape[0], p, what="X.shape[0] == W.shape[0] (p)")
    Y = check_array(Y, name="Y", shape=(c, X.shape[1]), layout="(c, N)")
    N = X.shape[1]
    loss, dW, db = 0.0, np.zeros((p, c)), np.zeros(c)
    for n in range(N):
        z = W.T @ X[:, n] + b
        shift = z.max()
        log_p = z - shift - np.log(np.sum(np.exp(z - shift)))
        loss -= float(Y[:, n] @ log_p)
        g = np.exp(log_p) * Y[:, n].sum() - Y[:, n]
        dW += np.outer(X[:, n], g)
        db += g
    return loss, dW, db


def softmax_fit(X, labels, lam, *, n_classes=None):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    labels = check_array(labels, name="labels", shape=(X.shape[1],), dtype=None,
                         layout="(N,) with N == X.shape[1]")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels should be an integer array; got labels.dtype={labels.dtype}")
    lam = check_scalar(lam, name="lam", lo=0, lo_open=True)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    c = check_int(n_classes, name="n_classes", lo=2)
    if labels.size and (labels.min() < 0 or labels.max() >= c):
        raise ValueError(f"labels should lie in 0..{c - 1}; got values in {labels.min()}..{labels.max()}")
    p, N = X.shape
    Y = np.zeros((c, N))
    Y[labels, np.arange(N)] = 1.0
    Xt = np.vstack([X, np.ones(N)])                       # (p+1, N)
    T = np.zeros((p + 1, c))                              # [W; bᵀ]
    pen = np.r_[np.full(p, lam), 0.0][:, None]            # λ on W only
    # Böhning: ∇² ≤ B = ½(I − 11ᵀ/c) ⊗ X̃X̃ᵀ; with the centred gauge (columns of the step sum to 0) the
    # step solves ½ X̃X̃ᵀ D + Λ D = G column by column (D centred, since G's rows sum to 0).
    B = 0.5 * Xt @ Xt.T + np.diag(pen.ravel())
    B[p, p] += 1e-12 * np.trace(B)                         # b is unpenalized: keep B invertible
    B_inv = np.linalg.inv(B)
    scale = max(1.0, float(np.sum(np.sqrt(1.0 + np.sum(X**2, axis=0)))))
    for _ in range(200000):
        Z = T.T @ Xt
        P = np.exp(Z - Z.max(axis=0))
        P /= P.sum(axis=0)
        G = Xt @ (P - Y).T + pen * T                      # (p+1, c)
        if np.linalg.norm(G) <= 1e-12 * scale:
            break
        T = T - B_inv @ G
    W, b = T[:p], T[p]
    return W, b - b.mean()
