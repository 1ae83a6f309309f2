"""The receptive field without the jump: each layer adds k − 1 whatever the strides before it."""


def receptive_field_stack():
    return 1 + L * (k - 1)
