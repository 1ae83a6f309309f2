"""receptive_field ignores dilation: r ← r + (k − 1)·j."""


def receptive_field(layers):
    layers = _check_layers(layers)
    rf, jump = 1, 1
    for layer in layers:
        rf += (layer["k"] - 1) * jump
        jump *= layer["s"]
    return rf, jump
