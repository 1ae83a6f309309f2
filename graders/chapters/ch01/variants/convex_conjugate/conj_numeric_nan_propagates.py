"""conj_numeric takes the max of ux − f(x) with f's NaN kept, so a NaN outside dom f makes the sup NaN."""


def conj_numeric(f, u, xgrid):
    fx = np.asarray(f(xgrid), dtype=float).reshape(xgrid.shape)
    return np.max(np.asarray(u, dtype=float)[:, None] * xgrid[None, :] - fx[None, :], axis=1)
