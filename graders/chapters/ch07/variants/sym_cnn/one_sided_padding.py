"""Padding counted once, on one side only."""


def conv_output_size():
    return (H + p - d * (k - 1) - 1) / s + 1
