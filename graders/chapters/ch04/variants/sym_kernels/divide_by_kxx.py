"""Normalized kernel divided by k(x, x) only: (xz + c)²/(x² + c)²."""


def normalized_poly_kernel():
    return (x * z + c) ** 2 / (x**2 + c) ** 2
