"""Strict inequality f″ > 0: g″ = 0 at x = kπ makes the convex g look non-convex."""


def is_convex_on_grid(fpp_values, tol=1e-12):
    return bool(np.all(np.asarray(fpp_values) > 0))
