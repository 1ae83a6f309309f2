"""Computes in float64 and returns float64 for float32 inputs (the dtype of x is not kept)."""

_batch_norm, _layer_norm, _instance_norm, _group_norm = batch_norm, layer_norm, instance_norm, group_norm


def _d(t):
    return None if t is None else t.double()


def batch_norm(x, gamma, beta, eps=1e-5, running_mean=None, running_var=None, momentum=0.1, training=True):
    return _batch_norm(_d(x), _d(gamma), _d(beta), eps, _d(running_mean), _d(running_var), momentum, training)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return _layer_norm(_d(x), normalized_shape, _d(weight), _d(bias), eps)


def instance_norm(x, eps=1e-5, weight=None, bias=None):
    return _instance_norm(_d(x), eps, _d(weight), _d(bias))


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    return _group_norm(_d(x), G, _d(weight), _d(bias), eps)
