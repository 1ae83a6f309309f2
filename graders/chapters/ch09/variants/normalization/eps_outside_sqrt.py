"""ε outside the square root: (x − μ)/(σ + ε) in every normalization."""


def _normalize(x, axes, eps):
    mean = x.mean(dim=axes, keepdim=True)
    return (x - mean) / (x.var(dim=axes, keepdim=True, correction=0).sqrt() + eps)


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    C = x.shape[1]
    axes = [0, *range(2, x.ndim)]
    shape = (1, C) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(dim=axes), x.var(dim=axes, correction=0)
    else:
        mean, var = running_mean, running_var
    y = (x - mean.view(shape)) / (torch.sqrt(var.view(shape)) + eps)
    if gamma is not None:
        y = y * gamma.view(shape)
    if beta is not None:
        y = y + beta.view(shape)
    if training and running_mean is not None:
        n = x.numel() // C
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    return y, running_mean, running_var


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    k = 1 if isinstance(normalized_shape, int) else len(normalized_shape)
    y = _normalize(x, list(range(x.ndim - k, x.ndim)), eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)


def instance_norm(x, eps=1e-5, weight=None, bias=None):
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    y = _normalize(x, list(range(2, x.ndim)), eps)
    return y * (1 if weight is None else weight.view(shape)) + (0 if bias is None else bias.view(shape))


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    y = _normalize(x.reshape(x.shape[0], G, -1), [-1], eps).reshape(x.shape)
    return y * (1 if weight is None else weight.view(shape)) + (0 if bias is None else bias.view(shape))
