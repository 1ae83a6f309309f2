"""Everything with explicit Python loops over the indices, the encoder entry by entry from eq 10.22."""


def hankel(x, r):
    N = len(x)
    H = np.zeros((N, r))
    for i in range(N):
        for k in range(r):
            H[i, k] = x[(i + k) % N]
    return H


def circ_conv(u, v):
    N = len(u)
    out = np.zeros(N)
    for n in range(N):
        for k in range(len(v)):
            out[n] += u[(n - k) % N] * v[k]
    return out


def flip(v, N):
    out = np.zeros(N)
    for n in range(N):
        k = (-n) % N
        out[n] = v[k] if k < len(v) else 0.0
    return out


def framelet_encode(f, Phi, Psi):
    Phi, Psi = np.asarray(Phi, dtype=float), np.asarray(Psi, dtype=float)
    N, r = len(f), Psi.shape[0]
    C = np.zeros((N, r))
    for i in range(N):
        for j in range(r):
            C[i, j] = np.dot(f, circ_conv(Phi[:, i], Psi[:, j]))                  # ⟨f, φ_i ⊛ ψ_j⟩  (10.22)
    return C


def framelet_decode(C, Phi_t, Psi_t):
    C, Phi_t, Psi_t = (np.asarray(a, dtype=float) for a in (C, Phi_t, Psi_t))
    N, r = C.shape
    f = np.zeros(N)
    for j in range(r):
        f += circ_conv(Phi_t @ C[:, j], Psi_t[:, j])
    return f / r
