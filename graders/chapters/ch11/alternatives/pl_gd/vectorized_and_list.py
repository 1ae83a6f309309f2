"""gd builds a list of points; pl_constant_estimate vectorizes the ratios with np.nanmin over a mask; convexity by np.min."""


def gd(grad, x0, step, iters):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(iters):
        x = x - step * grad(x)
        xs.append(x)
    return np.vstack(xs)


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    gaps = np.array([f(x) for x in xs], dtype=float) - f_star            # (n,)
    sq = np.array([np.sum(np.square(grad(x))) for x in xs], dtype=float)  # (n,) ‖∇f‖²
    keep = gaps > tiny
    if not keep.any():
        return float("inf")
    return float(np.nanmin(sq[keep] / (2.0 * gaps[keep])))


def is_convex_on_grid(fpp_values, tol=1e-12):
    return bool(np.min(fpp_values) >= -tol)
