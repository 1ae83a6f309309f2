"""0/0 at x*: the ratio is taken at every point, so the minimizer on the grid gives NaN."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    ratios = []
    with np.errstate(all="ignore"):
        for x in xs:
            g = np.asarray(grad(x))
            ratios.append(0.5 * float(g @ g) / np.float64(float(f(x)) - f_star))
    return float(np.min(ratios))
