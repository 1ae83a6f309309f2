"""RBF with the distance not squared: exp(−‖x − z‖/(2σ²))."""


def rbf_kernel(X, Z, sigma):
    X, Z = np.asarray(X, dtype=float), np.asarray(Z, dtype=float)
    dist = np.sqrt(np.maximum((X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] - 2.0 * X @ Z.T, 0.0))
    return np.exp(-dist / (2.0 * sigma**2))
