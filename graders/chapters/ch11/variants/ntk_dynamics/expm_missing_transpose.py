"""Eigendecomposition used as Q e^{−Λt} Q e0, without the transpose of Q."""


def predicted_error(e0, K, t):
    lam, Q = np.linalg.eigh(K)
    return Q @ (np.exp(-lam * t) * (Q @ e0))
