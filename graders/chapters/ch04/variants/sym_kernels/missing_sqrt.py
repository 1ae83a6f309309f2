"""Normalized kernel without the square root, k/(k(x, x)k(z, z)), given as a string."""


def normalized_poly_kernel():
    return "(x*z + c)**2/((x**2 + c)**2*(z**2 + c)**2)"
