"""The decoder convolves with the flipped filters ψ̄̃_j instead of ψ̃_j."""


def framelet_decode(C, Phi_t, Psi_t):
    C = np.asarray(C, dtype=float)
    N, r = C.shape
    B = np.asarray(Phi_t, dtype=float) @ C
    return sum(circ_conv(B[:, j], flip(np.asarray(Psi_t, dtype=float)[:, j], N)) for j in range(r)) / r
