"""Haar rows ordered fine to coarse after the constant row."""


def haar_matrix(N):
    H = np.zeros((N, N))
    H[0] = 1 / np.sqrt(N)
    row, scale = 1, N // 2
    while scale >= 1:
        width = N // scale
        for k in range(scale):
            H[row, k * width:k * width + width // 2] = np.sqrt(scale / N)
            H[row, k * width + width // 2:(k + 1) * width] = -np.sqrt(scale / N)
            row += 1
        scale //= 2
    return H
