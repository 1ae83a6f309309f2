"""The frame itself used as its dual (Φ̃ = Φ), right only for Parseval frames (ΦΦᵀ = I)."""


def canonical_dual(Phi):
    Phi = np.asarray(Phi, dtype=float)
    _check_spans(Phi)
    return Phi.copy()
