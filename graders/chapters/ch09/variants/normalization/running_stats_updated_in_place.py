"""The running statistics are updated in place (torch's module style), changing the caller's tensors."""

_batch_norm = batch_norm


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    y, new_mean, new_var = _batch_norm(x, gamma, beta, eps, running_mean, running_var, momentum, training)
    if training and running_mean is not None:
        running_mean.copy_(new_mean)
        running_var.copy_(new_var)
    return y, running_mean, running_var
