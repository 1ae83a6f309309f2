"""The largest ratio instead of the smallest: a μ the inequality does not hold for everywhere."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    mu = -np.inf
    for x in xs:
        gap = float(f(x)) - f_star
        if gap > tiny:
            g = np.asarray(grad(x))
            mu = max(mu, 0.5 * float(g @ g) / gap)
    return float(mu)
