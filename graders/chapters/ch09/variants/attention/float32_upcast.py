"""Computes in float64 and returns float64 for float32 inputs (the dtype of the inputs is not kept)."""

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    mask = mask.double() if mask is not None and mask.is_floating_point() else mask
    return _attention(Q.double(), K.double(), V.double(), mask, causal, scale)
