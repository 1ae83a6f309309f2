"""Soft thresholding as sign·max(|v|−λ, 0), the ℓ1 dual by plain ISTA to a zero gap, the QP by QR.

Sign tests written as comparisons, soft thresholding as sign·max(|v|−λ, 0) (+0. to drop −0.), the ℓ1 dual
solved by plain projected gradient ascent (ISTA, no momentum) run to a zero gap, and the QP through a QR of Aᵀ."""


def subdiff_abs(x):
    x = check_array(x, name="x")
    lo = np.where(x > 0, 1.0, -1.0)
    hi = np.where(x < 0, -1.0, 1.0)
    return lo, hi


def prox_l1(v, lam):
    v = check_array(v, name="v")
    lam = check_scalar(lam, name="lam", lo=0)
    return np.sign(v) * np.maximum(np.abs(v) - lam, 0.0) + 0.0


def solve_l1_denoise(y, A, iters=20000):
    y = check_array(y, name="y", ndim=1, layout="(n,)")
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    check_dim(A.shape[1], y.size, what="A.shape[1] == y.shape[0] (n)")
    iters = check_int(iters, name="iters", lo=1)
    u = np.zeros(A.shape[0])
    L = 0.5 * np.linalg.svd(A, compute_uv=False).max() ** 2 if A.size else 0.0
    if L == 0.0:
        return y.copy(), u
    Ay = A @ y
    x = y.copy()
    for _ in range(iters):
        x = y - 0.5 * A.T @ u                             # the Lagrangian's minimizer for this u
        P = np.sum((y - x) ** 2) + np.sum(np.abs(A @ x))
        D = u @ Ay - 0.25 * np.sum((A.T @ u) ** 2)
        if P - D <= 1e-12 * max(1.0, abs(P)):
            break
        u = np.clip(u + (Ay - 0.5 * A @ (A.T @ u)) / L, -1.0, 1.0)
    x = y - 0.5 * A.T @ u
    return x, u


def min_norm_via_dual(A, b):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    b = check_array(b, name="b", shape=(A.shape[0],), layout="(m,) with m == A.shape[0]")
    rank = int(np.linalg.matrix_rank(A)) if A.size else 0
    if rank < A.shape[0]:
        raise ValueError(f"A should have full row rank m = {A.shape[0]}; got rank {rank} (A.shape={A.shape})")
    Q, R = np.linalg.qr(A.T)                              # Aᵀ = QR, AAᵀ = RᵀR
    w = np.linalg.solve(R.T, b)                           # Rᵀw = b
    x = Q @ w                                             # x = Q R⁻ᵀ b = Aᵀ(AAᵀ)⁻¹b
    u = -np.linalg.solve(R, w)                            # u = −(AAᵀ)⁻¹b
    return x, u
