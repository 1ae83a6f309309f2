"""Wrong axes: layer norm normalizes over the last axis only, whatever normalized_shape says."""


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    y = (x - mean) / torch.sqrt(x.var(dim=-1, keepdim=True, correction=0) + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y
