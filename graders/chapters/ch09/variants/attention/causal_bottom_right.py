"""The causal mask is aligned at the bottom-right corner (query i sees j <= i + S − L), not SDPA's top-left."""


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[-1])
    logits = Q @ K.transpose(-2, -1) * scale
    if mask is not None:
        logits = logits.masked_fill(~mask, -math.inf) if mask.dtype == torch.bool else logits + mask
    if causal:
        L, S = logits.shape[-2:]
        allowed = torch.ones(L, S, dtype=torch.bool).tril(diagonal=S - L)
        allowed[..., 0] = True
        logits = logits.masked_fill(~allowed, -math.inf)
    A = torch.softmax(logits, dim=-1)
    return A @ V, A
