"""Each layer divides by √fan_out, the layer's output width, as §11.4.2 prints it (errata §15.9)."""


class _FanOutLinear(nn.Module):
    def __init__(self, weight, bias, beta):
        super().__init__()
        self.weight, self.bias, self.beta = nn.Parameter(weight), nn.Parameter(bias), beta

    def forward(self, h):
        return h @ self.weight.T / math.sqrt(self.weight.shape[0]) + self.beta * self.bias


def ntk_param_mlp(d0, width, depth, beta=0.1, seed=0, device="cpu", dtype=torch.float64):
    dtype = _check_dtype(dtype)
    g = torch.Generator().manual_seed(seed)
    dims = [d0] + [width] * depth + [1]
    layers = []
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        W = torch.randn(fan_out, fan_in, generator=g, dtype=dtype)
        b = torch.randn(fan_out, generator=g, dtype=dtype)
        layers.append(_FanOutLinear(W.to(device), b.to(device), beta))
        if l < depth:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
