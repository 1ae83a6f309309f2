"""The dual as printed for ex 1.20: max over ‖u‖₂ ≤ 1 of uᵀAy − uᵀAAᵀu (no ¼), then x = y − Aᵀu/2."""


def solve_l1_denoise(y, A, iters=20000):
    y, A = np.asarray(y, dtype=float), np.asarray(A, dtype=float)
    Ay, AAt = A @ y, A @ A.T
    step = 1.0 / max(2.0 * np.linalg.norm(A, 2) ** 2, 1e-12)
    u = np.zeros(A.shape[0])
    for _ in range(iters):
        u = u + step * (Ay - 2.0 * AAt @ u)                 # ascent on uᵀAy − uᵀAAᵀu
        norm = np.linalg.norm(u)
        if norm > 1.0:
            u = u / norm                                    # project onto ‖u‖₂ ≤ 1
    return y - 0.5 * A.T @ u, u
