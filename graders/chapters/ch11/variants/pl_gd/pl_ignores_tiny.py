"""Skips only exact zeros of the gap (gap > 0), ignoring the tiny argument."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    mu = np.inf
    for x in xs:
        gap = float(f(x)) - f_star
        if gap > 0:
            g = np.asarray(grad(x))
            mu = min(mu, 0.5 * float(g @ g) / gap)
    return float(mu)
