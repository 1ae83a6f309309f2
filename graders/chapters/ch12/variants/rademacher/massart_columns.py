"""Massart's bound with the roles of h and N swapped (norms of columns, ln N)."""


def massart_bound(H):
    H = np.asarray(H, dtype=float)
    h, N = H.shape
    return float(np.max(np.linalg.norm(H, axis=0)) * math.sqrt(2 * math.log(N)) / h)
