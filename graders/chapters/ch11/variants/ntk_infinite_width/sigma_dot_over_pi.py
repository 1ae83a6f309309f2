"""Σ̇ = (π − θ)/π, twice the derivative kernel of ReLU (the 1/2 of E[ReLU′(u) ReLU′(v)] lost)."""


def relu_ntk_analytic(X, depth, beta=0.1):
    sigma = X @ X.T / X.shape[1] + beta**2
    theta = sigma
    for _ in range(depth):
        scale = torch.sqrt(torch.diagonal(sigma))
        norms = scale[:, None] * scale[None, :]
        rho = torch.clamp(sigma / norms, -1.0, 1.0)
        angle = torch.arccos(rho)
        sigma_dot = (math.pi - angle) / math.pi
        sigma = norms / (2 * math.pi) * (torch.sin(angle) + (math.pi - angle) * rho) + beta**2
        theta = theta * sigma_dot + sigma
    return theta
