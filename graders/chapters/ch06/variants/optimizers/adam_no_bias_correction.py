"""Adam without bias correction: m and v used as they are."""


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    m = b1 * m + (1.0 - b1) * grad
    v = b2 * v + (1.0 - b2) * grad**2
    return theta - lr * m / (np.sqrt(v) + eps), m, v
