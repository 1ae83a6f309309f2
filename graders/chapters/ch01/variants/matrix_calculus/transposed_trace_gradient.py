"""Transposed trace gradient: B A = (AᵀBᵀ)ᵀ, of shape (n, m) instead of the shape (m, n) of X."""


def grad_trace_AXB(A, B):
    return np.asarray(B, dtype=float) @ np.asarray(A, dtype=float)
