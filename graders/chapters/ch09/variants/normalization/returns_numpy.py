"""Returns numpy arrays instead of torch tensors."""

_layer_norm, _instance_norm, _group_norm = layer_norm, instance_norm, group_norm


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return _layer_norm(x, normalized_shape, weight, bias, eps).numpy()


def instance_norm(x, eps=1e-5, weight=None, bias=None):
    return _instance_norm(x, eps, weight, bias).numpy()


def group_norm(x, G, weight=None, bias=None, eps=1e-5):
    return _group_norm(x, G, weight, bias, eps).numpy()
