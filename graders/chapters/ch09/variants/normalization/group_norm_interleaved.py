"""Group norm with interleaved groups: channel c in group c % G instead of c // (C/G)."""


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    N, C = x.shape[:2]
    shape = (1, C) + (1,) * (x.ndim - 2)
    g = x.reshape(N, C // G, G, -1).transpose(1, 2).reshape(N, G, -1)
    y = (g - g.mean(dim=-1, keepdim=True)) / torch.sqrt(g.var(dim=-1, keepdim=True, correction=0) + eps)
    y = y.reshape(N, G, C // G, -1).transpose(1, 2).reshape(x.shape)
    if weight is not None:
        y = y * weight.view(shape)
    if bias is not None:
        y = y + bias.view(shape)
    return y
