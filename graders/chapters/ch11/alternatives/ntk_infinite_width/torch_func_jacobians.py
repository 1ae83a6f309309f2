"""The empirical NTK from torch.func (jacrev + vmap + functional_call), the kernel recursion written
with sin θ = √(1 − ρ²)."""
from torch.func import functional_call, jacrev, vmap


def relu_ntk_analytic(X, depth, beta=0.1):
    sigma = X @ X.T / X.shape[1] + beta**2
    theta = sigma
    for _ in range(depth):
        s = torch.sqrt(torch.diagonal(sigma))
        norms = s[:, None] * s[None, :]
        rho = (sigma / norms).clamp(-1.0, 1.0)
        angle = torch.arccos(rho)
        new_sigma = norms * (torch.sqrt(1 - rho * rho) + (math.pi - angle) * rho) / (2 * math.pi) + beta**2
        theta = theta * (0.5 - angle / (2 * math.pi)) + new_sigma
        sigma = new_sigma
    return theta


def _empirical_ntk(model, X):
    params = {name: p.detach() for name, p in model.named_parameters()}
    jac = vmap(jacrev(lambda p, x: functional_call(model, p, (x[None],))[0, 0]), (None, 0))(params, X)
    return sum(J.reshape(len(X), -1) @ J.reshape(len(X), -1).T for J in jac.values())
