"""AdaIN channel by channel with explicit sums; WCT with the square roots from SVDs of the centred data."""


def adain(X, S, eps=1e-5):
    Y = np.empty_like(X)
    for c in range(X.shape[1]):
        x, s = X[:, c], S[:, c]
        mx, ms = sum(x) / len(x), sum(s) / len(s)
        vx = sum((x - mx) ** 2) / len(x)
        vs = sum((s - ms) ** 2) / len(s)
        Y[:, c] = (x - mx) / np.sqrt(vx + eps) * np.sqrt(vs) + ms
    return Y


def _right_singular(A, c):
    """Singular values padded to c and the c×c right singular vectors of A."""
    _, sv, Vt = np.linalg.svd(A, full_matrices=True)
    values = np.zeros(c)
    values[: sv.size] = sv
    return values, Vt.T


def wct(X, S, eps=1e-8):
    c = X.shape[1]
    X_c, mu_s = X - X.mean(axis=0), S.mean(axis=0)
    sx, Vx = _right_singular(X_c / np.sqrt(X.shape[0]), c)   # Σ_x − εI = Vx diag(sx²) Vxᵀ
    ss, Vs = _right_singular((S - mu_s) / np.sqrt(S.shape[0]), c)
    whiten = (Vx / np.sqrt(sx ** 2 + eps)) @ Vx.T
    colour = (Vs * ss) @ Vs.T
    return X_c @ whiten @ colour + mu_s
