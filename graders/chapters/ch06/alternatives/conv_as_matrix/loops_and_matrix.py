"""Explicit loops, the tied gradient as diagonal sums of δxᵀ, the diagonal net by its Jacobian chain.

Every function by explicit loops over the entries: W filled entry by entry, y[i] = Σ_k h[k] x[i − k],
∂c/∂h[k] = Σ_i δ[i] x[i − k] as the diagonal sums of δxᵀ; the diagonal network through the product of its layers."""


def conv1d_matrix(h, d):
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    d = check_int(d, name="d", lo=1)
    W = np.zeros((d, d))
    for i in range(d):
        for j in range(max(0, i - h.size + 1), i + 1):
            W[i, j] = h[i - j]
    return W


def conv1d_forward(h, x):
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    y = np.zeros(x.size)
    for i in range(x.size):
        for k in range(min(h.size, i + 1)):
            y[i] += h[k] * x[i - k]
    return y


def filter_grad(x, delta, p):
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    delta = check_array(delta, name="delta", shape=x.shape, layout="(d,)")
    p = check_int(p, name="p", lo=1)
    untied = np.outer(delta, x)                           # ∂c/∂W = δxᵀ
    return np.array([np.trace(untied, offset=-k) if k < x.size else 0.0 for k in range(p)])


def diag_net_grads(w_diags, x, y):
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    y = check_array(y, name="y", shape=x.shape, layout="(d,)")
    if not isinstance(w_diags, (list, tuple)) or not w_diags:
        raise TypeError(f"w_diags should be a non-empty list of (d,) arrays; got {type(w_diags).__name__}")
    ws = [check_array(w, name=f"w_diags[{i}]", shape=x.shape, layout="(d,)") for i, w in enumerate(w_diags)]
    L = len(ws)
    gs, os_ = [], [x]
    for w in ws:
        gs.append(w * os_[-1])
        os_.append(np.maximum(gs[-1], 0.0))
    active = [(g > 0).astype(float) for g in gs]
    residual = os_[-1] - y
    grads = []
    for l in range(L):
        # ∂o^(L)/∂w^(l) is diagonal: Λ^(L) w^(L) ⋯ Λ^(l+1) w^(l+1) Λ^(l) o^(l−1)
        chain = active[l] * os_[l]
        for k in range(l + 1, L):
            chain = chain * ws[k] * active[k]
        grads.append(residual * chain)
    return grads
