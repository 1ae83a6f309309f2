"""gd as x − g·η into a preallocated array, ‖∇f‖² by np.linalg.norm squared, convexity by counting values below −tol."""


def gd(grad, x0, step, iters):
    out = np.zeros((iters + 1, len(x0)))
    out[0] = x0
    for k in range(1, iters + 1):
        out[k] = out[k - 1] - np.asarray(grad(out[k - 1])) * step
    return out


def pl_constant_estimate(f, grad, xs, f_star, tiny=1e-12):
    best = float("inf")
    for i in range(xs.shape[0]):
        gap = f(xs[i]) - f_star
        if gap > tiny:
            best = min(best, np.linalg.norm(grad(xs[i])) ** 2 / 2 / gap)
    return float(best)


def is_convex_on_grid(fpp_values, tol=1e-12):
    return int(np.count_nonzero(np.asarray(fpp_values) < -tol)) == 0
