"""Frame bounds from the K × K Gram matrix ΦᵀΦ, whose K − n spurious zero eigenvalues give α = 0."""


def frame_bounds(Phi):
    lam = np.linalg.eigvalsh(np.asarray(Phi, dtype=float).T @ np.asarray(Phi, dtype=float))
    return max(float(lam[0]), 0.0), float(lam[-1])


def is_tight(Phi, tol=1e-10):
    alpha, beta = frame_bounds(Phi)
    return bool(alpha > 0 and beta - alpha <= tol * beta)
