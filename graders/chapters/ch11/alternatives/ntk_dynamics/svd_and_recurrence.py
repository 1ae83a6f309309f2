"""K by einsum, the residuals by their own recurrence e_{k+1} = (I − dt·K)e_k, V by the norm, exp(−Kt) by an SVD of K, V̇ expanded."""


def linear_ntk(X):
    return np.einsum("ip,jp->ij", X, X)


def gradient_flow_lsq(X, y, theta0, dt, T):
    K = X @ X.T
    thetas = [np.asarray(theta0, dtype=float)]
    errors = [X @ thetas[0] - y]
    for _ in range(T):
        thetas.append(thetas[-1] - dt * X.T @ errors[-1])
        errors.append(errors[-1] - dt * K @ errors[-1])        # ė = −Ke, Euler
    return np.array(thetas).reshape(T + 1, -1), np.array(errors).reshape(T + 1, -1)


def lyapunov_V(e):
    return float(np.linalg.norm(e)) ** 2 / 2


def predicted_error(e0, K, t):
    U, s, _ = np.linalg.svd(K)                             # K symmetric PSD: K = U diag(s) Uᵀ
    return U @ np.diag(np.exp(-s * t)) @ U.T @ e0


def vdot(x, y, a):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = -2 * x**2 - 4 * y**2 + 2 * a * x * y**2 - 4 * a * x**2 * y
    return float(out) if out.ndim == 0 else out
