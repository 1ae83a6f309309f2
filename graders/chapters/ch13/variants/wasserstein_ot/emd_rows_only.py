"""Kantorovich LP with the row constraints only (the columns' sums are left free)."""


def emd_discrete(a, b, M):
    from scipy.optimize import linprog

    n, m = M.shape
    rows = np.kron(np.eye(n), np.ones((1, m)))
    result = linprog(M.ravel(), A_eq=rows, b_eq=a, bounds=(0, None), method="highs")
    P = np.maximum(result.x.reshape(n, m), 0.0)
    return P, float(np.sum(P * M))
