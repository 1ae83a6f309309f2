"""The default scale is missing: softmax(QKᵀ) instead of softmax(QKᵀ/√d)."""

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    return _attention(Q, K, V, mask, causal, 1.0 if scale is None else scale)
