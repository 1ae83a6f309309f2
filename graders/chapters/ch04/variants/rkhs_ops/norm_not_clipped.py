"""rkhs_norm takes √(aᵀKa) without clipping at 0: NaN when f is zero and aᵀKa rounds below 0."""


def rkhs_norm(a, Xa, k):
    K = np.asarray(k(Xa, Xa), dtype=np.float64)
    return float(np.sqrt(a @ K @ a))
