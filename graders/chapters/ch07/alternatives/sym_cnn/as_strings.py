"""Every answer as a string, in another but equal form."""


def conv_output_size():
    return "(H + 2*p - d*k + d - 1 + s)/s"


def conv_param_count():
    return "C_out*(C_in*k^2 + 1)"


def receptive_field_stack():
    return "(k - 1)*(1 - s**L)/(1 - s) + 1"
