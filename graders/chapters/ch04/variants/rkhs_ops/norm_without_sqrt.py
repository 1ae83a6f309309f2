"""rkhs_norm returns the squared norm aᵀKa (the square root is forgotten)."""


def rkhs_norm(a, Xa, k):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    K = np.asarray(k(Xa, Xa), dtype=np.float64)
    return float(a @ K @ a)
