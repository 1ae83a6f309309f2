"""V = ‖e‖² without the ½."""


def lyapunov_V(e):
    return float(e @ e)
