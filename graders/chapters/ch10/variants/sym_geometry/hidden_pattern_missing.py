"""The hidden layer's pattern forgotten: A = D1 W1 W0, as if every hidden neuron were active."""


def local_slope():
    return D1 * W1 * W0
