"""The + β² of every Σ is missing (Σ¹ = X Xᵀ/d0 and no bias term in the recursion)."""


def relu_ntk_analytic(X, depth, beta=0.1):
    sigma = X @ X.T / X.shape[1]
    theta = sigma
    for _ in range(depth):
        scale = torch.sqrt(torch.diagonal(sigma))
        norms = scale[:, None] * scale[None, :]
        rho = torch.clamp(sigma / norms, -1.0, 1.0)
        angle = torch.arccos(rho)
        sigma_dot = (math.pi - angle) / (2 * math.pi)
        sigma = norms / (2 * math.pi) * (torch.sin(angle) + (math.pi - angle) * rho)
        theta = theta * sigma_dot + sigma
    return theta
