"""The decoder without the 1/r of eq 10.24: Σ_j (Φ̃ c_j) ⊛ ψ̃_j."""


def framelet_decode(C, Phi_t, Psi_t):
    C = np.asarray(C, dtype=float)
    B = np.asarray(Phi_t, dtype=float) @ C
    return sum(circ_conv(B[:, j], np.asarray(Psi_t, dtype=float)[:, j]) for j in range(C.shape[1]))
