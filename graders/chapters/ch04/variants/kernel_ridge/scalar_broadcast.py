"""K + λ (λ added to every entry by broadcasting) instead of K + λI."""


def krr_fit(K, y, lam):
    K = np.asarray(K, dtype=float)
    return np.linalg.solve(K + lam, np.asarray(y, dtype=float))
