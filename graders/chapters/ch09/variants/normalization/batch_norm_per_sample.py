"""Wrong axes: batch norm takes each channel's statistics over its pixels only, per sample (instance norm)."""


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    C = x.shape[1]
    shape = (1, C) + (1,) * (x.ndim - 2)
    axes = list(range(2, x.ndim)) or [0]
    if training:
        mean = x.mean(dim=axes, keepdim=True)
        var = x.var(dim=axes, keepdim=True, correction=0)
    else:
        mean, var = running_mean.view(shape), running_var.view(shape)
    y = (x - mean) / torch.sqrt(var + eps)
    if gamma is not None:
        y = y * gamma.view(shape)
    if beta is not None:
        y = y + beta.view(shape)
    if training and running_mean is not None:
        n = x.numel() // C
        all_axes = [0, *range(2, x.ndim)]
        running_mean = (1 - momentum) * running_mean + momentum * x.mean(dim=all_axes)
        running_var = (1 - momentum) * running_var + momentum * x.var(dim=all_axes, correction=0) * n / (n - 1)
    return y, running_mean, running_var
