"""param_count counts Co·Ci·k + Co per convolution (k, not k²)."""


def param_count(layers):
    layers = _check_layers(layers)
    count = 0
    for layer in layers:
        if layer["type"] == "conv":
            count += layer["out"] * layer["in"] * layer["k"] + layer["out"]
        elif layer["type"] == "linear":
            count += layer["in"] * layer["out"] + layer["out"]
    return count
