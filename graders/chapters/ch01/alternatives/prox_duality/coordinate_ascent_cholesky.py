"""The prox by Moreau's identity, the ℓ1 dual by exact coordinate ascent, the QP by Cholesky.

∂|x| as sign ∓ [x = 0], the prox by the Moreau identity v − clip(v, −λ, λ), the ℓ1 dual by exact coordinate
ascent (each u_i maximized in closed form and clipped) until the duality gap vanishes, and the QP by Cholesky."""
import scipy.linalg as _alt_sla


def subdiff_abs(x):
    x = check_array(x, name="x")
    kink = (x == 0).astype(np.float64)
    return np.sign(x) - kink, np.sign(x) + kink


def prox_l1(v, lam):
    v = check_array(v, name="v")
    lam = check_scalar(lam, name="lam", lo=0)
    return v - np.clip(v, -lam, lam)


def solve_l1_denoise(y, A, iters=20000):
    y = check_array(y, name="y", ndim=1, layout="(n,)")
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    check_dim(A.shape[1], y.size, what="A.shape[1] == y.shape[0] (n)")
    iters = check_int(iters, name="iters", lo=1)
    m = A.shape[0]
    M = A @ A.T
    Ay = A @ y
    u = np.zeros(m)
    for _ in range(iters):
        for i in range(m):
            if M[i, i] > 0:                               # ∂D/∂u_i = (Ay)_i − ½(Mu)_i = 0, then the box
                rest = M[i] @ u - M[i, i] * u[i]
                u[i] = min(1.0, max(-1.0, (Ay[i] - 0.5 * rest) / (0.5 * M[i, i])))
        x = y - 0.5 * A.T @ u
        P = float(np.sum((y - x) ** 2) + np.abs(A @ x).sum())
        D = float(u @ Ay - 0.25 * np.sum((A.T @ u) ** 2))
        if P - D <= 1e-12 * max(1.0, abs(P)):
            break
    return y - 0.5 * A.T @ u, u


def min_norm_via_dual(A, b):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    b = check_array(b, name="b", shape=(A.shape[0],), layout="(m,) with m == A.shape[0]")
    rank = int(np.linalg.matrix_rank(A)) if A.size else 0
    if rank < A.shape[0]:
        raise ValueError(f"A should have full row rank m = {A.shape[0]}; got rank {rank} (A.shape={A.shape})")
    u = -_alt_sla.cho_solve(_alt_sla.cho_factor(A @ A.T), b)
    return -A.T @ u, u
