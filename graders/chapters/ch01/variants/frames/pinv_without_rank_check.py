"""canonical_dual through the pseudo-inverse, returning garbage instead of raising for rank-deficient Φ."""


def canonical_dual(Phi):
    Phi = np.asarray(Phi, dtype=float)
    return np.linalg.pinv(Phi @ Phi.T) @ Phi
