"""The three formulas as strings: the count expanded, the product with @, the soft threshold with ^ and Min."""


def max_regions_plane():
    return "(m^2 + m + 2)/2"


def local_slope():
    return "(D1 @ W1) @ (D0 @ W0)"


def soft_threshold():
    return "Max(v - lam, 0) + Min(v + lam, 0)"
