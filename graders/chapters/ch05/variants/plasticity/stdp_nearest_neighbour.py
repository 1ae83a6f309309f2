"""stdp_total pairs each postsynaptic spike with its nearest presynaptic spike only."""


def stdp_total(pre, post, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if pre.size == 0 or post.size == 0:
        return 0.0
    total = 0.0
    for t in post:
        nearest = pre[np.argmin(np.abs(t - pre))]
        total += float(stdp_dw(np.array([t - nearest]), A_plus, A_minus, tau_plus, tau_minus)[0])
    return total
