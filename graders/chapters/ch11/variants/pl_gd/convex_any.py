"""any instead of all: convex as soon as f″ ≥ 0 somewhere."""


def is_convex_on_grid(fpp_values, tol=1e-12):
    return bool(np.any(np.asarray(fpp_values) >= -tol))
