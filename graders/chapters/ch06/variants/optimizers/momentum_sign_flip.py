"""Momentum with the sign of the gradient term flipped: V ← βV + η∇c (gradient ascent)."""


def momentum_step(theta, V, grad, eta, beta):
    V = beta * np.asarray(V, dtype=float) + eta * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + V, V
