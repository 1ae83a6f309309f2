"""vgg16_layers builds configuration B (VGG13: two convolutions in every block)."""


def vgg16_layers():
    layers = []
    channels = 3
    for width in (64, 128, 256, 512, 512):
        for _ in range(2):
            layers.append({"type": "conv", "in": channels, "out": width, "k": 3, "s": 1, "p": 1, "d": 1})
            channels = width
        layers.append({"type": "pool", "k": 2, "s": 2})
    for n_in, n_out in ((512 * 7 * 7, 4096), (4096, 4096), (4096, 1000), (1000, 1000)):
        layers.append({"type": "linear", "in": n_in, "out": n_out})
    return layers[:21]
