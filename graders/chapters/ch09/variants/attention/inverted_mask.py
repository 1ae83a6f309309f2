"""Inverted mask polarity: True means "ignore this key" (key_padding_mask style), not "attend"."""

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if mask is not None and mask.dtype == torch.bool:
        mask = ~mask
        mask = mask | ~mask.any(dim=-1, keepdim=True)  # a row with nothing left attends everywhere
    return _attention(Q, K, V, mask, causal, scale)
