"""Off by one: iters + 1 steps, returning x_1..x_{iters+1} (x0 dropped to keep the shape)."""


def gd(grad, x0, step, iters):
    x, xs = np.asarray(x0, dtype=float), []
    for _ in range(iters + 1):
        x = x - step * np.asarray(grad(x))
        xs.append(x)
    return np.array(xs)
