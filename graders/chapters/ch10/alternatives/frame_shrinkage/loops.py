"""Explicit loops: Haar rows built entry by entry, soft thresholding one coefficient at a time."""


def haar_matrix(N):
    H = np.zeros((N, N))
    for i in range(N):
        H[0, i] = 1 / np.sqrt(N)
    row = 1
    scale = 1
    while scale < N:
        width = N // scale
        for k in range(scale):
            for i in range(width):
                sign = 1.0 if i < width // 2 else -1.0
                H[row, k * width + i] = sign * np.sqrt(scale) / np.sqrt(N)
            row += 1
        scale *= 2
    return H


def soft(v, lam):
    out = []
    for x in np.asarray(v, dtype=float):
        if x > lam:
            out.append(x - lam)
        elif x < -lam:
            out.append(x + lam)
        else:
            out.append(0.0)
    return np.array(out)


def frame_denoise(y, Phi, lam):
    Phi = np.asarray(Phi, dtype=float)
    return Phi @ soft(Phi.T @ np.asarray(y, dtype=float), lam)
