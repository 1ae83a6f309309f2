"""diag_net_grads takes ReLU′(0) = 1 (g >= 0), where the docstring pins ReLU′(0) := 0."""


def diag_net_grads(w_diags, x, y):
    ws = [np.asarray(w, dtype=float) for w in w_diags]
    o, g = [np.asarray(x, dtype=float)], []
    for w in ws:
        g.append(w * o[-1])
        o.append(np.maximum(g[-1], 0.0))
    delta = np.where(g[-1] >= 0, o[-1] - y, 0.0)
    grads = []
    for l in range(len(ws), 0, -1):
        grads.append(delta * o[l - 1])
        if l > 1:
            delta = np.where(g[l - 2] >= 0, ws[l - 1] * delta, 0.0)
    return grads[::-1]
