"""The parameter count without the biases."""


def conv_param_count():
    return C_out * C_in * k**2
