"""Softmax via logsumexp; the fit by Newton with the last class's bias pinned to 0, centred after.

Softmax as exp(Z − logsumexp Z); the loss through a column log-sum-exp and gradients by einsum; the fit by
Newton on (W, b_1..b_{c−1}) with the last class's bias pinned to 0 (no flat direction), centred at the end."""


def softmax(Z, axis=0):
    Z = check_array(Z, name="Z")
    if Z.ndim == 0:
        raise ValueError(f"Z should have at least 1 dimension; got Z.shape={Z.shape}")
    axis = check_int(axis, name="axis", lo=-Z.ndim, hi=Z.ndim - 1)
    m = np.max(Z, axis=axis, keepdims=True)
    lse = m + np.log(np.sum(np.exp(Z - m), axis=axis, keepdims=True))
    return np.exp(Z - lse)


def softmax_xent(W, b, X, Y):
    W = check_array(W, name="W", ndim=2, layout="(p, c)")
    p, c = W.shape
    b = check_array(b, name="b", shape=(c,), layout="(c,) with c == W.shape[1]")
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    check_dim(X.shape[0], p, what="X.shape[0] == W.shape[0] (p)")
    Y = check_array(Y, name="Y", shape=(c, X.shape[1]), layout="(c, N)")
    Z = np.einsum("pc,pn->cn", W, X) + b[:, None]
    m = Z.max(axis=0)
    lse = m + np.log(np.exp(Z - m).sum(axis=0))           # (N,)
    loss = float(np.sum(Y.sum(axis=0) * lse) - np.sum(Y * Z))
    P = np.exp(Z - lse)
    G = P * Y.sum(axis=0) - Y
    return loss, np.einsum("pn,cn->pc", X, G), G.sum(axis=1)


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
    Y = (labels[None, :] == np.arange(c)[:, None]).astype(float)
    nW, nb = p * c, c - 1

    def unpack(theta):
        return theta[:nW].reshape(p, c), np.append(theta[nW:], 0.0)

    def parts(theta):
        W, b = unpack(theta)
        loss, dW, db = softmax_xent(W, b, X, Y)
        f = loss + 0.5 * lam * np.sum(W * W)
        g = np.concatenate([(dW + lam * W).ravel(), db[:-1]])
        P = softmax(W.T @ X + b[:, None])
        Xt = np.vstack([X, np.ones(N)])
        H = np.zeros((p + 1, c, p + 1, c))
        for n in range(N):
            H += np.multiply.outer(np.outer(Xt[:, n], Xt[:, n]), np.diag(P[:, n]) - np.outer(P[:, n], P[:, n])
                                   ).transpose(0, 2, 1, 3)
        H = H.reshape((p + 1) * c, (p + 1) * c)[: nW + nb, : nW + nb] + np.diag(np.r_[np.full(nW, lam), np.zeros(nb)])
        return f, g, H

    theta = np.zeros(nW + nb)
    f, g, H = parts(theta)
    for _ in range(100):
        d = np.linalg.solve(H, g)
        s = 1.0
        while s > 1e-12:
            f_new, g_new, H_new = parts(theta - s * d)
            if f_new <= f - 1e-4 * s * (g @ d) or (f_new <= f + 1e-13 * abs(f)
                                                    and np.linalg.norm(g_new) < np.linalg.norm(g)):
                break
            s /= 2
        if s <= 1e-12:
            break
        theta, f, g, H = theta - s * d, f_new, g_new, H_new
        if np.linalg.norm(g) <= 1e-14 * N:
            break
    W, b = unpack(theta)
    return W, b - b.mean()
