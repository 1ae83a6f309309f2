"""∂tr(AXB)/∂X in numerator layout: B A, of shape 4×3 instead of the shape 3×4 of X."""


def grad_trace_AXB():
    return B * A
