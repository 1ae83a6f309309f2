"""The mean ratio over the points instead of the minimum."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    ratios = []
    for x in xs:
        gap = float(f(x)) - f_star
        if gap > tiny:
            g = np.asarray(grad(x))
            ratios.append(0.5 * float(g @ g) / gap)
    return float(np.mean(ratios))
