"""Each layer draws its bias before its weight matrix (another network than the pinned one)."""


def ntk_param_mlp(d0, width, depth, beta=0.1, seed=0, device="cpu", dtype=torch.float64):
    dtype = _check_dtype(dtype)
    g = torch.Generator().manual_seed(seed)
    dims = [d0] + [width] * depth + [1]
    layers = []
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        b = torch.randn(fan_out, generator=g, dtype=dtype)
        W = torch.randn(fan_out, fan_in, generator=g, dtype=dtype)
        layers.append(_NTKLinear(W.to(device), b.to(device), beta))
        if l < depth:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
