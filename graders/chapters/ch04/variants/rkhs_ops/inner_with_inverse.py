"""Inner product through the inverse Gram matrix, aᵀK⁺b (pinv), instead of aᵀKb."""


def rkhs_inner(a, Xa, b, Xb, k):
    K = np.asarray(k(np.asarray(Xa, dtype=float), np.asarray(Xb, dtype=float)), dtype=float)
    return float(np.asarray(a, dtype=float) @ np.linalg.pinv(K).T @ np.asarray(b, dtype=float))
