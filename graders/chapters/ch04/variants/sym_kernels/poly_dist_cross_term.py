"""Polynomial distance with the cross term counted once: k(x, x) + k(z, z) − k(x, z)."""


def poly_dist2():
    return (x**2 + c) ** 2 + (z**2 + c) ** 2 - (x * z + c) ** 2
