"""is_psd with an absolute tolerance λ_min ≥ −tol, blind to the scale of K."""


def is_psd(K, tol=1e-10):
    K = np.asarray(K, dtype=float)
    lam = np.linalg.eigvalsh(0.5 * (K + K.T))
    return bool(lam.size == 0 or lam[0] >= -tol)
