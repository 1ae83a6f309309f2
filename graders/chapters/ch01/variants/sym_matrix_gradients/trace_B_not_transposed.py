"""∂tr(AXB)/∂X written as AᵀB (the same shape, 3×4, but B is not transposed)."""


def grad_trace_AXB():
    return A.T * B
