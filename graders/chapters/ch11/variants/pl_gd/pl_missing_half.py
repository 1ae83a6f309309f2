"""Missing ½: ‖∇f‖²/(f − f*), twice the PL constant."""


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    mu = np.inf
    for x in xs:
        gap = float(f(x)) - f_star
        if gap > tiny:
            g = np.asarray(grad(x))
            mu = min(mu, float(g @ g) / gap)
    return float(mu)
