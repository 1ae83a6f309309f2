"""Sign error: gradient ascent x + η∇f(x)."""


def gd(grad, x0, step, iters):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(iters):
        xs.append(xs[-1] + step * np.asarray(grad(xs[-1])))
    return np.array(xs)
