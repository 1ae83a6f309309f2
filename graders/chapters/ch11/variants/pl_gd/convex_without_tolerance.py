"""No rounding allowance: f″ >= 0 exactly, so −1e-15 from rounding means non-convex."""


def is_convex_on_grid(fpp_values, tol=1e-12):
    return bool(np.all(np.asarray(fpp_values) >= 0))
