"""Massart's bound with √(ln h) instead of √(2 ln h)."""


def massart_bound(H):
    H = np.asarray(H, dtype=float)
    h, N = H.shape
    return float(np.max(np.linalg.norm(H, axis=1)) * math.sqrt(math.log(h)) / N)
