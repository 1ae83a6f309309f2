"""Power iteration that never normalizes u (u ← Wv), so σ = uᵀWv = ‖Wv‖², not σ₁."""


def power_iteration_sigma(W, n_iter, u0):
    with torch.no_grad():
        u = u0
        for _ in range(n_iter):
            v = W.T @ u
            v = v / v.norm()
            u = W @ v
    return u @ (W @ v), u, v
