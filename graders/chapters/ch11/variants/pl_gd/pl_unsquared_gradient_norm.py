"""Unsquared gradient norm: ½‖∇f‖/(f − f*)."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    mu = np.inf
    for x in xs:
        gap = float(f(x)) - f_star
        if gap > tiny:
            mu = min(mu, 0.5 * float(np.linalg.norm(grad(x))) / gap)
    return float(mu)
