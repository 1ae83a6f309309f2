"""First-order approximation (I − Kt) e0 of exp(−Kt) e0: one Euler step of size t."""


def predicted_error(e0, K, t):
    return e0 - t * (K @ e0)
