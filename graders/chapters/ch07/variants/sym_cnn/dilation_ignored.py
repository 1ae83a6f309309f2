"""The kernel's extent taken as k whatever the dilation."""


def conv_output_size():
    return (H + 2 * p - k) / s + 1
