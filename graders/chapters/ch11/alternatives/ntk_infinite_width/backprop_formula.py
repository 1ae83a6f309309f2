"""The angle from atan2(√(1 − ρ²), ρ); the network as one module with ParameterLists; its
empirical NTK from the layer-wise backprop formula Σ_l (δ_l δ_lᵀ) ⊙ (h_{l−1} h_{l−1}ᵀ/fan_in + β²)
instead of per-sample gradients."""


def relu_ntk_analytic(X, depth, beta=0.1):
    sigma = X @ X.T / X.shape[1] + beta**2
    theta = sigma.clone()
    for _ in range(depth):
        d = torch.diagonal(sigma)
        norms = torch.sqrt(torch.outer(d, d))
        rho = torch.clamp(sigma / norms, -1.0, 1.0)
        sine = torch.sqrt(1.0 - rho**2)
        angle = torch.atan2(sine, rho)
        theta = theta * (math.pi - angle) / (2 * math.pi)
        sigma = norms * (sine + (math.pi - angle) * rho) / (2 * math.pi) + beta**2
        theta = theta + sigma
    return theta


class _MLP(nn.Module):
    def __init__(self, weights, biases, beta):
        super().__init__()
        self.weights, self.biases, self.beta = nn.ParameterList(weights), nn.ParameterList(biases), beta

    def layers(self, X):
        """Every layer's input h_{l−1} and pre-activation g_l."""
        h, seen = X, []
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            g = torch.addmm(self.beta * b, h, W.T, alpha=1.0 / math.sqrt(W.shape[1]))
            seen.append((h, g))
            h = torch.relu(g) if l < len(self.weights) - 1 else g
        return seen

    def forward(self, X):
        return self.layers(X)[-1][1]


def ntk_param_mlp(d0, width, depth, beta=0.1, seed=0, device="cpu", dtype=torch.float64):
    dtype = _check_dtype(dtype)
    g = torch.Generator().manual_seed(seed)
    weights, biases = [], []
    for fan_in, fan_out in zip([d0] + [width] * depth, [width] * depth + [1]):
        weights.append(torch.randn(fan_out, fan_in, generator=g, dtype=dtype).to(device))
        biases.append(torch.randn(fan_out, generator=g, dtype=dtype).to(device))
    return _MLP(weights, biases, beta)


def _empirical_ntk(model, X):
    with torch.no_grad():
        seen = model.layers(X)
        delta = torch.ones(len(X), 1, dtype=X.dtype, device=X.device)       # ∂f/∂g_L
        K = torch.zeros(len(X), len(X), dtype=X.dtype, device=X.device)
        for l in reversed(range(len(seen))):
            h, _ = seen[l]
            W = model.weights[l]
            K += (delta @ delta.T) * (h @ h.T / W.shape[1] + model.beta**2)
            if l > 0:
                delta = (delta @ W / math.sqrt(W.shape[1])) * (seen[l - 1][1] > 0)
    return K
