"""Massart's bound divided by √N instead of N."""


def massart_bound(H):
    H = np.asarray(H, dtype=float)
    h, N = H.shape
    return float(np.max(np.linalg.norm(H, axis=1)) * math.sqrt(2 * math.log(h)) / math.sqrt(N))
