"""rbf_kernel divides the caller's X and Z by √2σ in place before taking distances."""


def rbf_kernel(X, Z, sigma):
    X /= np.sqrt(2.0) * sigma                             # written over the caller's arrays
    Z /= np.sqrt(2.0) * sigma
    sq = (X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] - 2 * X @ Z.T
    return np.exp(-np.maximum(sq, 0.0))
