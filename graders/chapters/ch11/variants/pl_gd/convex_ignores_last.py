"""Looks at the interior of the grid only (values[1:-1]), missing a negative end point."""


def is_convex_on_grid(fpp_values, tol=1e-12):
    return bool(np.all(np.asarray(fpp_values)[1:-1] >= -tol))
