"""The jump multiplied in before the layer adds its k − 1 (the sum runs from s¹ to s^L)."""


def receptive_field_stack():
    return 1 + (k - 1) * s * (s**L - 1) / (s - 1)
