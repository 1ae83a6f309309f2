"""Forward differences (f(x + h e_i) − f(x)) / h instead of central ones: an O(h) error."""


def num_grad(f, X, h=1e-6):
    X = np.asarray(X, dtype=float)
    G = np.zeros_like(X)
    f0 = float(f(X))
    for i in range(X.size):
        Xp = X.copy()
        Xp.flat[i] += h
        G.flat[i] = (float(f(Xp)) - f0) / h
    return G


def num_jacobian(F, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    F0 = np.asarray(F(x), dtype=float).reshape(-1)
    rows = []
    for i in range(x.size):
        xp = x.copy()
        xp[i] += h
        rows.append((np.asarray(F(xp), dtype=float).reshape(-1) - F0) / h)
    return np.stack(rows)
