"""Softmax over dim −2 (over the queries) instead of over the keys."""


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[-1])
    logits = Q @ K.transpose(-2, -1) * scale
    if mask is not None:
        logits = logits.masked_fill(~mask, -math.inf) if mask.dtype == torch.bool else logits + mask
    if causal:
        L, S = logits.shape[-2:]
        logits = logits.masked_fill(~torch.ones(L, S, dtype=torch.bool).tril(), -math.inf)
    A = torch.softmax(logits, dim=-2)
    return A @ V, A
