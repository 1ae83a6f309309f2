"""Batch norm normalizes with the unbiased variance (divide by n − 1) instead of the biased one."""


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    C = x.shape[1]
    axes = [0, *range(2, x.ndim)]
    shape = (1, C) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(dim=axes), x.var(dim=axes)  # unbiased: the bug
    else:
        mean, var = running_mean, running_var
    y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    if gamma is not None:
        y = y * gamma.view(shape)
    if beta is not None:
        y = y + beta.view(shape)
    if training and running_mean is not None:
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var
    return y, running_mean, running_var
