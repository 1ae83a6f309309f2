"""conj_numeric takes the inf over the grid instead of the sup (a sign slip in eq 1.52)."""


def conj_numeric(f, u, xgrid):
    u, xgrid = np.asarray(u, dtype=float), np.asarray(xgrid, dtype=float)
    fx = np.asarray(f(xgrid), dtype=float)
    fx = np.where(np.isnan(fx), np.inf, fx)
    return np.array([np.min(ui * xgrid - fx) for ui in u])
