"""Wrong axes: batch norm takes statistics over the batch axis only, one mean per (channel, pixel)."""


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    C = x.shape[1]
    shape = (1, C) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(dim=0, keepdim=True), x.var(dim=0, keepdim=True, correction=0)
    else:
        mean, var = running_mean.view(shape), running_var.view(shape)
    y = (x - mean) / torch.sqrt(var + eps)
    if gamma is not None:
        y = y * gamma.view(shape)
    if beta is not None:
        y = y + beta.view(shape)
    if training and running_mean is not None:
        axes = [0, *range(2, x.ndim)]
        n = x.numel() // C
        running_mean = (1 - momentum) * running_mean + momentum * x.mean(dim=axes)
        running_var = (1 - momentum) * running_var + momentum * x.var(dim=axes, correction=0) * n / (n - 1)
    return y, running_mean, running_var
