"""Circular convolution by the FFT, the Hankel matrix by strides over x twice over, the decoder vectorized in the frequency domain."""


def hankel(x, r):
    x = np.asarray(x, dtype=float)
    N = x.shape[0]
    return np.lib.stride_tricks.sliding_window_view(np.concatenate([x, x]), r)[:N].copy()


def circ_conv(u, v):
    u = np.asarray(u, dtype=float)
    N = u.shape[0]
    return np.real(np.fft.ifft(np.fft.fft(u) * np.fft.fft(np.asarray(v, dtype=float), N)))


def flip(v, N):
    padded = np.fft.irfft(np.fft.rfft(np.asarray(v, dtype=float), N), N)        # v⁰
    return np.roll(padded[::-1], 1)


def framelet_encode(f, Phi, Psi):
    Psi = np.asarray(Psi, dtype=float)
    return np.asarray(Phi, dtype=float).T @ (hankel(f, Psi.shape[0]) @ Psi)


def framelet_decode(C, Phi_t, Psi_t):
    C = np.asarray(C, dtype=float)
    N, r = C.shape
    B = np.asarray(Phi_t, dtype=float) @ C                                       # (N, r)
    spectra = np.fft.rfft(B, axis=0) * np.fft.rfft(np.asarray(Psi_t, dtype=float), N, axis=0)
    return np.fft.irfft(spectra.sum(axis=1), N) / r
