"""V = ½‖e‖, the norm not squared."""


def lyapunov_V(e):
    return 0.5 * float(np.linalg.norm(e))
