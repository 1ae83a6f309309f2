"""receptive_field multiplies the jump by the stride before widening the field (r ← r + (k − 1)·d·j·s)."""


def receptive_field(layers):
    layers = _check_layers(layers)
    rf, jump = 1, 1
    for layer in layers:
        jump *= layer["s"]
        rf += (layer["k"] - 1) * layer["d"] * jump
    return rf, jump
