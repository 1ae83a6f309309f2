"""The encoder filters with the rows of Ψ instead of its columns: C = Φᵀ H_r(f) Ψᵀ."""


def framelet_encode(f, Phi, Psi):
    Psi = np.asarray(Psi, dtype=float)
    return np.asarray(Phi, dtype=float).T @ hankel(f, Psi.shape[0]) @ Psi.T
