"""The distance instead of its square: √(k(x, x) + k(z, z) − 2k(x, z)) (the book's ex 4.7 typo)."""


def rbf_dist2():
    return sp.sqrt(2 - 2 * sp.exp(-(x - z) ** 2 / (2 * sigma**2)))


def poly_dist2():
    return sp.sqrt((x**2 + c) ** 2 + (z**2 + c) ** 2 - 2 * (x * z + c) ** 2)
