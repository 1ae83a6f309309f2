"""RBF distance with k(x, x) + k(z, z) taken as 1 instead of 2: 1 − exp(−(x − z)²/(2σ²))."""


def rbf_dist2():
    return 1 - sp.exp(-(x - z) ** 2 / (2 * sigma**2))
