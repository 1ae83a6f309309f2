"""Monge map by linear interpolation of the sorted ys at F(x) instead of the step quantile G⁻¹."""


def monge_map_1d(xs, ys):
    n, m = len(xs), len(ys)
    x_sorted, y_sorted = np.sort(xs), np.sort(ys)

    def T(x):
        F = np.searchsorted(x_sorted, np.asarray(x, dtype=float), side="right") / n
        return np.interp(F, np.arange(1, m + 1) / m, y_sorted)

    return T
