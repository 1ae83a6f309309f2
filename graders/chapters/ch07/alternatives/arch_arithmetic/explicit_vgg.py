"""VGG16 written out layer by layer with defaults left implicit; shapes and counts with plain
loops over the spatial axes and a running product for the jump."""


def vgg16_layers():
    def conv(ci, co):
        return {"type": "conv", "in": ci, "out": co, "k": 3, "p": 1}

    pool = {"type": "pool", "k": 2}
    return [conv(3, 64), conv(64, 64), dict(pool),
            conv(64, 128), conv(128, 128), dict(pool),
            conv(128, 256), conv(256, 256), conv(256, 256), dict(pool),
            conv(256, 512), conv(512, 512), conv(512, 512), dict(pool),
            conv(512, 512), conv(512, 512), conv(512, 512), dict(pool),
            {"type": "linear", "in": 25088, "out": 4096}, {"type": "linear", "in": 4096, "out": 4096},
            {"type": "linear", "in": 4096, "out": 1000}]


def receptive_field(layers):
    rf, jump = 1, 1
    for layer in _check_layers(layers):
        for _ in range(layer["k"] - 1):
            rf += layer["d"] * jump
        jump = jump * layer["s"]
    return rf, jump


def param_count(layers):
    total = 0
    for layer in _check_layers(layers):
        if layer["type"] == "conv":
            total += layer["out"] * (layer["in"] * layer["k"] ** 2) + layer["out"]
        if layer["type"] == "linear":
            total += layer["out"] * (layer["in"] + 1)
    return total
