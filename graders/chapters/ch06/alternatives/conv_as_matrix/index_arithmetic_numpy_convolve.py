"""W(h) by index arithmetic, np.convolve forward, np.correlate for the tied gradient.

W(h) by index arithmetic (W[i, j] = h[i − j] where 0 ≤ i − j < p), the forward pass by np.convolve truncated,
the tied gradient by np.correlate, and the diagonal network through its Jacobian chain written with masks."""


def conv1d_matrix(h, d):
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    d = check_int(d, name="d", lo=1)
    lag = np.subtract.outer(np.arange(d), np.arange(d))   # i − j
    inside = (lag >= 0) & (lag < h.size)
    return np.where(inside, h[np.clip(lag, 0, h.size - 1)], 0.0)


def conv1d_forward(h, x):
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    if h.size == 0:
        return np.zeros(x.size)
    return np.convolve(x, h)[: x.size]


def filter_grad(x, delta, p):
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    delta = check_array(delta, name="delta", shape=x.shape, layout="(d,)")
    p = check_int(p, name="p", lo=1)
    d = x.size
    full = np.correlate(delta, x, mode="full")[d - 1:]     # lag k ≥ 0: Σ_i δ[i] x[i − k]
    out = np.zeros(p)
    out[: min(p, d)] = full[: min(p, d)]
    return out


def diag_net_grads(w_diags, x, y):
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    y = check_array(y, name="y", shape=x.shape, layout="(d,)")
    if not isinstance(w_diags, (list, tuple)) or not w_diags:
        raise TypeError(f"w_diags should be a non-empty list of (d,) arrays; got {type(w_diags).__name__}")
    ws = [check_array(w, name=f"w_diags[{i}]", shape=x.shape, layout="(d,)") for i, w in enumerate(w_diags)]
    outs, masks = [x], []
    for w in ws:
        pre = w * outs[-1]
        masks.append(pre > 0)
        outs.append(pre * masks[-1])
    grads = []
    upstream = outs[-1] - y                               # ∂c/∂o^(L)
    for l in reversed(range(len(ws))):
        delta = upstream * masks[l]                       # δ^(l) = Λ ∂c/∂o^(l)
        grads.insert(0, delta * outs[l])
        upstream = ws[l] * delta                          # ∂c/∂o^(l−1)
    return grads
