"""The output size without the +1 for the first window position."""


def conv_output_size():
    return (H + 2 * p - d * (k - 1) - 1) / s
