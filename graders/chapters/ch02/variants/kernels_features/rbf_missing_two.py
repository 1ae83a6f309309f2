"""RBF without the 2 in the denominator: exp(−‖x − z‖²/σ²)."""


def rbf_kernel(X, Z, sigma):
    X, Z = np.asarray(X, dtype=float), np.asarray(Z, dtype=float)
    sq = np.maximum((X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] - 2.0 * X @ Z.T, 0.0)
    return np.exp(-sq / sigma**2)
