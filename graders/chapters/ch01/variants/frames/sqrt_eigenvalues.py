"""Frame bounds as the square roots of the eigenvalues of ΦΦᵀ (singular values of Φ)."""


def frame_bounds(Phi):
    s = np.linalg.svd(np.asarray(Phi, dtype=float), compute_uv=False)
    return float(s[-1]), float(s[0])
