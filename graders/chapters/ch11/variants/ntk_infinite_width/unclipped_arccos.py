"""arccos of the correlation ρ without clipping it to [−1, 1]: NaN where rounding puts ρ above 1."""


def relu_ntk_analytic(X, depth, beta=0.1):
    sigma = X @ X.T / X.shape[1] + beta**2
    theta = sigma
    for _ in range(depth):
        scale = torch.sqrt(torch.diagonal(sigma))
        norms = scale[:, None] * scale[None, :]
        rho = sigma / norms
        angle = torch.arccos(rho)
        sigma_dot = (math.pi - angle) / (2 * math.pi)
        sigma = norms / (2 * math.pi) * (torch.sin(angle) + (math.pi - angle) * rho) + beta**2
        theta = theta * sigma_dot + sigma
    return theta
