"""Standard parameterization: the parameters are W/√fan_in and βb themselves (same outputs at
initialization), so the gradients, and the kernel, grow with the width."""


class _StandardLinear(nn.Module):
    def __init__(self, weight, bias):
        super().__init__()
        self.weight, self.bias = nn.Parameter(weight), nn.Parameter(bias)

    def forward(self, h):
        return h @ self.weight.T + self.bias


def ntk_param_mlp(d0, width, depth, beta=0.1, seed=0, device="cpu", dtype=torch.float64):
    dtype = _check_dtype(dtype)
    g = torch.Generator().manual_seed(seed)
    dims = [d0] + [width] * depth + [1]
    layers = []
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        W = torch.randn(fan_out, fan_in, generator=g, dtype=dtype) / math.sqrt(fan_in)
        b = beta * torch.randn(fan_out, generator=g, dtype=dtype)
        layers.append(_StandardLinear(W.to(device), b.to(device)))
        if l < depth:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
