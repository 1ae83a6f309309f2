"""The primal recovered as x = y − Aᵀu, missing the ½ of x = y − Aᵀu/2."""

_reference_solve = solve_l1_denoise


def solve_l1_denoise(y, A, iters=20000):
    _, u = _reference_solve(y, A, iters)
    return np.asarray(y, dtype=float) - np.asarray(A, dtype=float).T @ u, u
