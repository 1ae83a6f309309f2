"""is_psd from the eigenvalues of K itself (np.linalg.eigvals, real parts), not of ½(K + Kᵀ)."""


def is_psd(K, tol=1e-10):
    lam = np.linalg.eigvals(np.asarray(K, dtype=float)).real
    if lam.size == 0:
        return True
    return bool(lam.min() >= -tol * np.max(np.abs(lam)))
