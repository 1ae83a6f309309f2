"""A floating-point mask is treated as a boolean one (nonzero = attend) instead of an additive bias."""

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if mask is not None and mask.dtype != torch.bool:
        mask = mask != 0
    return _attention(Q, K, V, mask, causal, scale)
