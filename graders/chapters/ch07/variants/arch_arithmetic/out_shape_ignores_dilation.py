"""out_shapes uses the undilated kernel size: ⌊(H + 2p − k)/s⌋ + 1."""


def out_shapes(layers, in_chw):
    layers = _check_layers(layers)
    C, H, W = _check_chw(in_chw)
    shapes = []
    for layer in layers:
        if layer["type"] == "linear":
            C, H, W = layer["out"], 1, 1
        else:
            k, s, p = layer["k"], layer["s"], layer["p"]
            H, W = ((n + 2 * p - k) // s + 1 for n in (H, W))
            C = layer["out"] if layer["type"] == "conv" else C
        shapes.append((C, H, W))
    return shapes
