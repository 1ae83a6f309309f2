"""RBF kernel written exp(−(x − z)²/σ²) (the 2 of the σ-form dropped), as a string."""


def rbf_dist2():
    return "2 - 2*exp(-(x - z)**2/sigma**2)"
