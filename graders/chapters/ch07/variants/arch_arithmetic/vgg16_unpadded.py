"""vgg16_layers forgets the convolutions' padding of 1 (so the maps shrink, the classifier's input is wrong)."""

_correct_vgg16_layers = vgg16_layers


def vgg16_layers():
    return [{**layer, "p": 0} if layer["type"] == "conv" else layer for layer in _correct_vgg16_layers()]
