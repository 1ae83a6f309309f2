"""Perturbations as rows of h·I (flat index), closed forms by einsum, X⁻ᵀ from the SVD (U Σ⁻¹ Vᵀ)."""


def num_grad(f, X, h=1e-6):
    if not callable(f):
        raise TypeError(f"f should be a callable X -> float; got f={f!r} (type={type(f).__name__})")
    X = check_array(X, name="X")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    flat = X.reshape(-1)
    out = np.zeros(flat.size)
    for i, step in enumerate(h * np.eye(flat.size)):
        plus, minus = flat + step, flat - step
        fp = np.asarray(f(plus.reshape(X.shape)), dtype=np.float64)
        fm = np.asarray(f(minus.reshape(X.shape)), dtype=np.float64)
        if fp.size != 1 or fm.size != 1:
            raise ValueError(f"f should return a scalar; got an array of shape {fp.shape}")
        out[i] = (fp.sum() - fm.sum()) / (plus[i] - minus[i])
    return out.reshape(X.shape)


def num_jacobian(F, x, h=1e-6):
    if not callable(F):
        raise TypeError(f"F should be a callable x -> (m,) array; got F={F!r} (type={type(F).__name__})")
    x = check_array(x, name="x", ndim=1, layout="(n,)")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    J = None
    for i in range(x.size):
        xp = x.copy()
        xm = x.copy()
        xp[i] = x[i] + h
        xm[i] = x[i] - h
        row = (np.atleast_1d(np.asarray(F(xp), dtype=np.float64)).ravel()
               - np.atleast_1d(np.asarray(F(xm), dtype=np.float64)).ravel()) / (xp[i] - xm[i])
        if J is None:
            J = np.empty((x.size, row.size))
        J[i] = row
    return J


def grad_quadratic(B, x):
    B = check_array(B, name="B", ndim=2, layout="(n, n)")
    check_dim(B.shape[0], B.shape[1], what="B.shape[0] == B.shape[1] (B square)")
    x = check_array(x, name="x", shape=(B.shape[0],), layout="(n,) with n == B.shape[0]")
    return np.einsum("ij,j->i", B, x) + np.einsum("ji,j->i", B, x)


def grad_trace_AXB(A, B):
    A = check_array(A, name="A", ndim=2, layout="(p, m)")
    B = check_array(B, name="B", ndim=2, layout="(n, p)")
    check_dim(B.shape[1], A.shape[0], what="B.shape[1] == A.shape[0] (A X B must be square)")
    return np.einsum("pm,np->mn", A, B)


def grad_logdet(X):
    X = check_array(X, name="X", ndim=2, layout="(n, n)")
    check_dim(X.shape[0], X.shape[1], what="X.shape[0] == X.shape[1] (X square)")
    if X.size == 0 or np.linalg.cond(X) > 1.0 / np.finfo(np.float64).eps:
        raise ValueError(f"X should be nonsingular; got a numerically singular X of shape {X.shape}")
    U, s, Vt = np.linalg.svd(X)
    return (U / s) @ Vt                                   # X⁻ᵀ = (V Σ⁻¹ Uᵀ)ᵀ = U Σ⁻¹ Vᵀ
