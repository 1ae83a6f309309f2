"""The default scale is 1/d instead of 1/√d."""

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    return _attention(Q, K, V, mask, causal, 1.0 / Q.shape[-1] if scale is None else scale)
