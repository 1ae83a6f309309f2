"""Calls the forbidden torch.nn.functional.batch_norm (on copies of the running statistics)."""
import torch.nn.functional as F


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    if running_mean is not None:
        running_mean, running_var = running_mean.clone(), running_var.clone()
    y = F.batch_norm(x, running_mean, running_var, gamma, beta, training=training, momentum=momentum, eps=eps)
    return y, running_mean, running_var
