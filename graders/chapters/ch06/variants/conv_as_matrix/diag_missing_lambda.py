"""Diagonal network without the ReLU derivative Λ in the backward pass."""


def diag_net_grads(w_diags, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ws = [np.asarray(w, dtype=float) for w in w_diags]
    o = [x]
    for w in ws:
        o.append(np.maximum(w * o[-1], 0.0))
    delta = o[-1] - y
    grads = []
    for l in range(len(ws), 0, -1):
        grads.append(delta * o[l - 1])
        delta = ws[l - 1] * delta
    return grads[::-1]
