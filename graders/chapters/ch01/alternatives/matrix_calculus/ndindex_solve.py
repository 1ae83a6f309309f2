"""Finite differences over np.ndindex, closed forms rearranged, X⁻ᵀ by solving XᵀG = I.

Finite differences over np.ndindex, Jacobian built column-major then transposed; closed forms rearranged
((B + Bᵀ)x as Bx + Bᵀx, AᵀBᵀ as (BA)ᵀ, X⁻ᵀ by solving Xᵀ G = I)."""


def num_grad(f, X, h=1e-6):
    if not callable(f):
        raise TypeError(f"f should be a callable X -> float; got f={f!r} (type={type(f).__name__})")
    X = check_array(X, name="X")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    G = np.empty(X.shape)
    for index in np.ndindex(*X.shape):
        up = X.copy()
        down = X.copy()
        up[index] = X[index] + h
        down[index] = X[index] - h
        G[index] = (float(np.asarray(f(up)).item()) - float(np.asarray(f(down)).item())) / (up[index] - down[index])
    return G


def num_jacobian(F, x, h=1e-6):
    if not callable(F):
        raise TypeError(f"F should be a callable x -> (m,) array; got F={F!r} (type={type(F).__name__})")
    x = check_array(x, name="x", ndim=1, layout="(n,)")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    columns = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        xp, xm = x + e, x - e
        diff = np.ravel(np.asarray(F(xp), dtype=float)) - np.ravel(np.asarray(F(xm), dtype=float))
        columns.append(diff / (xp[i] - xm[i]))
    return np.column_stack(columns).T if columns else np.zeros((0, np.size(F(x))))


def grad_quadratic(B, x):
    B = check_array(B, name="B", ndim=2, layout="(n, n)")
    check_dim(B.shape[0], B.shape[1], what="B.shape[0] == B.shape[1] (B square)")
    x = check_array(x, name="x", shape=(B.shape[0],), layout="(n,) with n == B.shape[0]")
    return B @ x + B.T @ x


def grad_trace_AXB(A, B):
    A = check_array(A, name="A", ndim=2, layout="(p, m)")
    B = check_array(B, name="B", ndim=2, layout="(n, p)")
    check_dim(B.shape[1], A.shape[0], what="B.shape[1] == A.shape[0] (A X B must be square)")
    return (B @ A).T


def grad_logdet(X):
    X = check_array(X, name="X", ndim=2, layout="(n, n)")
    check_dim(X.shape[0], X.shape[1], what="X.shape[0] == X.shape[1] (X square)")
    if X.size == 0 or np.linalg.cond(X) > 1.0 / np.finfo(np.float64).eps:
        raise ValueError(f"X should be nonsingular; got a numerically singular X of shape {X.shape}")
    return np.linalg.solve(X.T, np.eye(X.shape[0]))
