"""λ scaled by the sample size: (K + nλI)⁻¹y (the 1/n-loss convention, not the book's)."""


def krr_fit(K, y, lam):
    K = np.asarray(K, dtype=float)
    n = K.shape[0]
    return np.linalg.solve(K + n * lam * np.eye(n), np.asarray(y, dtype=float))
