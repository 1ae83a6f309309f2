"""exp(−Kt) by scaling and squaring of a Taylor series (no eigendecomposition), the flow on the residual form."""


def predicted_error(e0, K, t):
    A = -np.asarray(K, dtype=float) * t
    norm = float(np.linalg.norm(A, 1))
    s = max(0, int(np.ceil(np.log2(norm / 0.25)))) if norm > 0 else 0
    A = A / 2.0**s
    E, term = np.eye(A.shape[0]), np.eye(A.shape[0])
    for j in range(1, 25):
        term = term @ A / j
        E = E + term
    for _ in range(s):
        E = E @ E
    return E @ e0


def gradient_flow_lsq(X, y, theta0, dt, T):
    out = np.zeros((T + 1, X.shape[1]))
    out[0] = theta0
    for k in range(1, T + 1):
        out[k] = out[k - 1] - dt * X.T.dot(X.dot(out[k - 1]) - y)
    return out, np.array([X @ th - y for th in out]).reshape(T + 1, X.shape[0])
