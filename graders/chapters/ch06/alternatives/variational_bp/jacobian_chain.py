"""S accumulated from the output backwards, λ_max as σ_max(S)², δ^(l) = Sᵀ(o − y).

M built as S Sᵀ with S accumulated from the output backwards (S = Λ^(L) at the top, S ← S W^(k) Λ^(k−1)),
λ_max from the SVD of S (σ_max²), the layer step from the sensitivity S and the output error, ΔW by np.outer."""


def relu_forward(layers, x):
    pre, out = [], [x]
    for W, b in layers:
        g = np.dot(W, out[-1]) + b
        pre.append(g)
        out.append(np.where(g > 0, g, 0.0))
    return out, pre


def relu_prime(g):
    return np.where(g > 0, 1.0, 0.0)


def local_ls_update(delta, o_prev):
    delta = check_array(delta, name="delta", ndim=1, layout="(d_l,)")
    o_prev = check_array(o_prev, name="o_prev", ndim=1, layout="(d_{l-1},)")
    if not np.any(o_prev):
        raise ValueError("o_prev should be non-zero: the update −δoᵀ/‖o‖² is undefined for o = 0")
    return np.outer(-delta, o_prev / np.sum(o_prev**2))


def _alt_sensitivity(layers, g, l):
    """S = Λ^(L) W^(L) ⋯ W^(l+1) Λ^(l), accumulated from the output down to layer l."""
    S = np.diag(relu_prime(g[-1]))
    for k in range(len(layers), l, -1):
        S = S @ layers[k - 1][0] @ np.diag(relu_prime(g[k - 2]))
    return S


def sensitivity_M(params, x, l):
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    _, g = relu_forward(layers, x)
    S = _alt_sensitivity(layers, g, l)
    return S @ S.T


def max_safe_step(params, x, l):
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    o, g = relu_forward(layers, x)
    S = _alt_sensitivity(layers, g, l)
    top = float(np.linalg.svd(S, compute_uv=False).max(initial=0.0)) ** 2 if S.size else 0.0
    denom = float(np.dot(o[l - 1], o[l - 1])) * top
    return 2.0 / denom if denom > 0 else float("inf")


def bp_layer_step(params, x, y, l, eta):
    layers, x = _check_net(params, x)
    y = check_array(y, name="y", shape=(layers[-1][0].shape[0],), layout="(d_L,)")
    l = check_int(l, name="l", lo=1, hi=len(layers))
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    o, g = relu_forward(layers, x)
    delta = _alt_sensitivity(layers, g, l).T @ (o[-1] - y)   # δ^(l) = Sᵀ(o^(L) − y)
    new_layers = [(W.copy(), b.copy()) for W, b in layers]
    new_layers[l - 1] = (layers[l - 1][0] - eta * np.outer(delta, o[l - 1]), layers[l - 1][1])
    o2, g2 = relu_forward(new_layers, x)
    before = 0.5 * float((o[-1] - y) @ (o[-1] - y))
    after = 0.5 * float((o2[-1] - y) @ (o2[-1] - y))
    changed = False
    for a, c in zip(g, g2):
        changed = changed or bool(np.any((a > 0) ^ (c > 0)))
    return before, after, changed
