"""num_jacobian of a scalar-valued F returns shape (n,) instead of the documented (n, 1)."""


def num_jacobian(F, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    rows = []
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        rows.append((np.asarray(F(xp), dtype=float) - np.asarray(F(xm), dtype=float)) / (2 * h))
    return np.stack(rows)
