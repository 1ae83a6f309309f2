"""The kernel identities in their simplified closed forms.

The identities in their simplified closed forms: (xz + c)²/((x² + c)(z² + c)), 2 − 2e^{−(x−z)²/(2σ²)},
(x − z)²((x + z)² + 2c)."""


def normalized_poly_kernel():
    return (x * z + c) ** 2 / ((x**2 + c) * (z**2 + c))


def rbf_dist2():
    return 2 - 2 * sp.exp(-((x - z) ** 2) / (2 * sigma**2))


def poly_dist2():
    return (x - z) ** 2 * ((x + z) ** 2 + 2 * c)
