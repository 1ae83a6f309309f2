"""training=False is ignored: evaluation mode still normalizes with the batch's statistics."""

_batch_norm = batch_norm


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    y, _, _ = _batch_norm(x, gamma, beta, eps, None, None, momentum, True)
    if training and running_mean is not None:
        _, running_mean, running_var = _batch_norm(x, gamma, beta, eps, running_mean, running_var, momentum, True)
    return y, running_mean, running_var
