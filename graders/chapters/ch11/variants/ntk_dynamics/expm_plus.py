"""exp(+Kt) e0: the sign of the exponent flipped, so the residual grows."""


def predicted_error(e0, K, t):
    lam, Q = np.linalg.eigh(K)
    return Q @ (np.exp(lam * t) * (Q.T @ e0))
