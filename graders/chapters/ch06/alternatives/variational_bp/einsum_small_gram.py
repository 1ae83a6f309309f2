"""Passes by einsum, λ_max of M from the smaller Gram matrix SᵀS.

Forward and backward passes by einsum, M through Jacobian products written as masks times matrices, λ_max of
M from eigh of the smaller Gram SᵀS when d_l < d_L, and the update by broadcasting."""


def relu_forward(layers, x):
    o, g = [x], []
    for W, b in layers:
        g.append(np.einsum("ij,j->i", W, o[-1]) + b)
        o.append(g[-1] * (g[-1] > 0))
    return o, g


def relu_prime(g):
    return np.asarray(g > 0, dtype=np.float64)


def local_ls_update(delta, o_prev):
    delta = check_array(delta, name="delta", ndim=1, layout="(d_l,)")
    o_prev = check_array(o_prev, name="o_prev", ndim=1, layout="(d_{l-1},)")
    if not np.any(o_prev):
        raise ValueError("o_prev should be non-zero: the update −δoᵀ/‖o‖² is undefined for o = 0")
    return -(delta[:, None] * o_prev[None, :]) / np.einsum("i,i->", o_prev, o_prev)


def _alt_S(layers, x, l):
    _, g = relu_forward(layers, x)
    S = np.eye(g[l - 1].size) * relu_prime(g[l - 1])[None, :]     # Λ^(l), columns masked
    for k in range(l, len(layers)):
        S = relu_prime(g[k])[:, None] * np.einsum("ij,jk->ik", layers[k][0], S)
    return S


def sensitivity_M(params, x, l):
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    S = _alt_S(layers, x, l)
    return np.einsum("ik,jk->ij", S, S)


def max_safe_step(params, x, l):
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    S = _alt_S(layers, x, l)
    small = S.T @ S if S.shape[1] < S.shape[0] else S @ S.T     # same nonzero spectrum as M
    lam_max = float(np.linalg.eigh(small)[0][-1]) if small.size else 0.0
    o, _ = relu_forward(layers, x)
    denom = lam_max * float(np.einsum("i,i->", o[l - 1], o[l - 1]))
    return float("inf") if denom <= 0 else 2.0 / denom


def bp_layer_step(params, x, y, l, eta):
    layers, x = _check_net(params, x)
    y = check_array(y, name="y", shape=(layers[-1][0].shape[0],), layout="(d_L,)")
    l = check_int(l, name="l", lo=1, hi=len(layers))
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    o, g = relu_forward(layers, x)
    delta = (o[-1] - y) * relu_prime(g[-1])
    for k in range(len(layers) - 1, l - 1, -1):
        delta = np.einsum("ij,i->j", layers[k][0], delta) * relu_prime(g[k - 1])
    W, b = layers[l - 1]
    trial = layers[: l - 1] + [(W - eta * delta[:, None] * o[l - 1][None, :], b)] + layers[l:]
    o_new, g_new = relu_forward(trial, x)
    loss = [0.5 * float(np.einsum("i,i->", r, r)) for r in (y - o[-1], y - o_new[-1])]
    flipped = any(not np.array_equal(a > 0, c > 0) for a, c in zip(g, g_new))
    return loss[0], loss[1], flipped
