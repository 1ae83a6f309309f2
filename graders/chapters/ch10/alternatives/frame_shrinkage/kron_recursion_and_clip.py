"""Haar by the Kronecker recursion H₂ₙ = [H ⊗ (1, 1); I ⊗ (1, −1)]/√2; soft as v − clip(v, −λ, λ)."""


def haar_matrix(N):
    H = np.ones((1, 1))
    while H.shape[0] < N:
        n = H.shape[0]
        H = np.vstack([np.kron(H, [1.0, 1.0]), np.kron(np.eye(n), [1.0, -1.0])]) / np.sqrt(2)
    return H


def soft(v, lam):
    v = np.asarray(v, dtype=float)
    return v - np.clip(v, -lam, lam)


def frame_denoise(y, Phi, lam):
    Phi = np.asarray(Phi, dtype=float)
    c = np.asarray(y, dtype=float) @ Phi
    return (soft(c, lam)[None, :] * Phi).sum(axis=1)
