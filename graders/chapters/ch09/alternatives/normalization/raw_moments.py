"""Variances from raw moments, E[x²] − E[x]², and the affine maps folded into one scale and shift."""


def _moments(x, axes):
    mean = x.mean(dim=axes, keepdim=True)
    return mean, (x * x).mean(dim=axes, keepdim=True) - mean * mean


def _channel(v, x):
    return v.reshape((1, x.shape[1]) + (1,) * (x.ndim - 2))


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    axes = [0, *range(2, x.ndim)]
    if training:
        mean, var = _moments(x, axes)
    else:
        mean, var = _channel(running_mean, x), _channel(running_var, x)
    scale = 1 / torch.sqrt(var + eps) * (1 if gamma is None else _channel(gamma, x))
    y = x * scale + ((0 if beta is None else _channel(beta, x)) - mean * scale)
    if training and running_mean is not None:
        n = x.numel() / x.shape[1]
        running_mean = running_mean + momentum * (mean.flatten() - running_mean)
        running_var = running_var + momentum * (var.flatten() * n / (n - 1) - running_var)
    return y, running_mean, running_var


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    k = 1 if isinstance(normalized_shape, int) else len(normalized_shape)
    mean, var = _moments(x, list(range(x.ndim - k, x.ndim)))
    y = (x - mean) * torch.rsqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)


def instance_norm(x, eps=1e-5, weight=None, bias=None):
    mean, var = _moments(x, list(range(2, x.ndim)))
    y = (x - mean) * torch.rsqrt(var + eps)
    return y * (1 if weight is None else _channel(weight, x)) + (0 if bias is None else _channel(bias, x))


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    g = x.reshape(x.shape[0], G, -1)
    mean, var = _moments(g, [-1])
    y = ((g - mean) * torch.rsqrt(var + eps)).reshape(x.shape)
    return y * (1 if weight is None else _channel(weight, x)) + (0 if bias is None else _channel(bias, x))
