"""σ estimated as ‖Wᵀu‖ with the last u instead of SN-GAN's uᵀWv."""


def power_iteration_sigma(W, n_iter, u0):
    with torch.no_grad():
        u = u0 / u0.norm()
        for _ in range(n_iter):
            v = W.T @ u
            v = v / v.norm()
            u = W @ v
            u = u / u.norm()
    return (W.T @ u).norm(), u, v
