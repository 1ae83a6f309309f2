"""Monge map with ⌊k m / n⌋ instead of ⌈k m / n⌉: the quantile index is off by one between levels."""


def monge_map_1d(xs, ys):
    n, m = len(xs), len(ys)
    x_sorted, y_sorted = np.sort(xs), np.sort(ys)

    def T(x):
        k = np.searchsorted(x_sorted, np.asarray(x, dtype=float), side="right")
        return y_sorted[np.clip((k * m) // n - 1, 0, m - 1)]

    return T
