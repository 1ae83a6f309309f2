"""An unbounded scale: s is the network's raw output, so e^s overflows on large inputs."""


def _scale_shift(layer, kept):
    raw, t = layer.net(kept).chunk(2, dim=1)
    free = 1 - layer.mask
    return raw * free, t * free
