"""Unnormalized Haar: the rows hold ±1 instead of ±√(2ʲ/N)."""


def haar_matrix(N):
    H = np.zeros((N, N))
    H[0] = 1.0
    scale = 1
    while scale < N:
        width = N // scale
        for k in range(scale):
            H[scale + k, k * width:k * width + width // 2] = 1.0
            H[scale + k, k * width + width // 2:(k + 1) * width] = -1.0
        scale *= 2
    return H
