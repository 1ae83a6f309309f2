"""The trajectory leaves out x0: iters rows x_1..x_iters instead of iters + 1."""


def gd(grad, x0, step, iters):
    x, xs = np.asarray(x0, dtype=float), []
    for _ in range(iters):
        x = x - step * np.asarray(grad(x))
        xs.append(x)
    return np.array(xs).reshape(iters, x0.shape[0])
