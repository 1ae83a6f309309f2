"""conj_numeric maps f's NaN to 0 (np.nan_to_num) instead of +inf, so points outside dom f count."""


def conj_numeric(f, u, xgrid):
    fx = np.nan_to_num(np.asarray(f(xgrid), dtype=float).reshape(xgrid.shape), nan=0.0)
    return np.max(np.asarray(u, dtype=float)[:, None] * xgrid[None, :] - fx[None, :], axis=1)
