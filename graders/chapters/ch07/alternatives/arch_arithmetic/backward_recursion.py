"""The receptive field from the output back: r ← s·(r − 1) + d·(k − 1) + 1 over the layers reversed,
the jump as the product of strides; parameters by a table of per-type formulas; shapes with the
dilated kernel's extent computed first."""
import math


def receptive_field(layers):
    layers = _check_layers(layers)
    rf = 1
    for layer in reversed(layers):
        rf = layer["s"] * (rf - 1) + layer["d"] * (layer["k"] - 1) + 1
    return rf, math.prod(layer["s"] for layer in layers)


_PARAMS = {
    "conv": lambda layer: (layer["in"] * layer["k"] * layer["k"] + 1) * layer["out"],
    "linear": lambda layer: (layer["in"] + 1) * layer["out"],
    "pool": lambda layer: 0,
}


def param_count(layers):
    return sum(_PARAMS[layer["type"]](layer) for layer in _check_layers(layers))


def out_shapes(layers, in_chw):
    C, H, W = _check_chw(in_chw)
    shapes = []
    for layer in _check_layers(layers):
        if layer["type"] == "linear":
            shapes.append((layer["out"], 1, 1))
            continue
        extent = layer["d"] * (layer["k"] - 1) + 1
        H = (H + 2 * layer["p"] - extent) // layer["s"] + 1
        W = (W + 2 * layer["p"] - extent) // layer["s"] + 1
        C = layer.get("out", C) if layer["type"] == "conv" else C
        shapes.append((C, H, W))
    return shapes
