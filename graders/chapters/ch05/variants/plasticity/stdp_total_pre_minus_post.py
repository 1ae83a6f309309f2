"""stdp_total pairs the trains as t_pre − t_post (the window itself is right)."""


def stdp_total(pre, post, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    return float(stdp_dw(np.subtract.outer(pre, post).ravel(), A_plus, A_minus, tau_plus, tau_minus).sum())
