"""Calls the forbidden torch.nn.functional.scaled_dot_product_attention for the output."""
import torch.nn.functional as F

_attention = attention


def attention(Q, K, V, mask=None, causal=False, scale=None):
    _, A = _attention(Q, K, V, mask, causal, scale)
    return F.scaled_dot_product_attention(Q, K, V, attn_mask=mask, is_causal=causal, scale=scale), A
