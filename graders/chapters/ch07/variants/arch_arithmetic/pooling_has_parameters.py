"""param_count counts a k×k pooling window as k² parameters (as if it were a kernel)."""

_correct_param_count = param_count


def param_count(layers):
    extra = sum(layer["k"] ** 2 for layer in _check_layers(layers) if layer["type"] == "pool")
    return _correct_param_count(layers) + extra
