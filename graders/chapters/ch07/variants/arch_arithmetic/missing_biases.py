"""param_count leaves out the biases (Co·Ci·k² and n_in·n_out only)."""


def param_count(layers):
    layers = _check_layers(layers)
    count = 0
    for layer in layers:
        if layer["type"] == "conv":
            count += layer["out"] * layer["in"] * layer["k"] ** 2
        elif layer["type"] == "linear":
            count += layer["in"] * layer["out"]
    return count
