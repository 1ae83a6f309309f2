"""Numerator-layout Jacobian: J[j, i] = ∂F_j/∂x_i, shape (m, n) (returns A, not Aᵀ, for x ↦ Ax)."""


def num_jacobian(F, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        cols.append((np.asarray(F(xp), dtype=float).reshape(-1) - np.asarray(F(xm), dtype=float).reshape(-1)) / (2 * h))
    return np.stack(cols, axis=1)
