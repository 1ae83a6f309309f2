"""Loops over channels, samples and groups with torch.var_mean; instance norm as group norm with G = C."""


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    C = x.shape[1]
    outputs, means, variances = [], [], []
    for c in range(C):
        xc = x[:, c]
        if training:
            var, mean = torch.var_mean(xc, unbiased=False)
        else:
            var, mean = running_var[c], running_mean[c]
        yc = (xc - mean) / torch.sqrt(var + eps)
        yc = yc * (1 if gamma is None else gamma[c]) + (0 if beta is None else beta[c])
        outputs.append(yc)
        n = xc.numel()
        means.append(mean)
        variances.append(var * n / (n - 1) if n > 1 else var)
    y = torch.stack(outputs, dim=1)
    if training and running_mean is not None:
        running_mean = (1 - momentum) * running_mean + momentum * torch.stack(means)
        running_var = (1 - momentum) * running_var + momentum * torch.stack(variances)
    return y, running_mean, running_var


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    N, C = x.shape[:2]
    size = C // G
    y = torch.empty_like(x)
    for n in range(N):
        for g in range(G):
            block = x[n, g * size:(g + 1) * size]
            var, mean = torch.var_mean(block, unbiased=False)
            y[n, g * size:(g + 1) * size] = (block - mean) / torch.sqrt(var + eps)
    shape = (1, C) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * weight.view(shape)
    if bias is not None:
        y = y + bias.view(shape)
    return y


def instance_norm(x, eps=1e-5, weight=None, bias=None):
    return group_norm(x, x.shape[1], weight, bias, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    flat = x.reshape(-1, *shape).reshape(-1, int(torch.tensor(shape).prod()))
    var, mean = torch.var_mean(flat, dim=1, keepdim=True, unbiased=False)
    y = ((flat - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
