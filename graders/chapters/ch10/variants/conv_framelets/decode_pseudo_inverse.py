"""A decoder that inverts the encoder by least squares (taking Φ̃, Ψ̃ for Φ, Ψ) instead of applying eq 10.24."""


def framelet_decode(C, Phi_t, Psi_t):
    C = np.asarray(C, dtype=float)
    N = C.shape[0]
    A = np.stack([framelet_encode(e, Phi_t, Psi_t).ravel() for e in np.eye(N)], axis=1)   # f -> vec(C)
    return np.linalg.lstsq(A, C.ravel(), rcond=None)[0]
