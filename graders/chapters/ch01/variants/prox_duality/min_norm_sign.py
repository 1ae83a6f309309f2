"""Lagrangian sign slip in the minimum-norm QP: u = (AAᵀ)⁻¹b and x = Aᵀu (x is right, x ≠ −Aᵀu)."""


def min_norm_via_dual(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    u = np.linalg.solve(A @ A.T, b)
    return A.T @ u, u
