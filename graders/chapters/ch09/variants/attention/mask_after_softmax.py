"""The mask (and the causal mask) is applied after the softmax: the weights are zeroed, not renormalized."""


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[-1])
    logits = Q @ K.transpose(-2, -1) * scale
    if mask is not None and mask.dtype != torch.bool:
        logits = logits + mask
    A = torch.softmax(logits, dim=-1)
    if mask is not None and mask.dtype == torch.bool:
        A = A * mask
    if causal:
        L, S = logits.shape[-2:]
        A = A * torch.ones(L, S, dtype=A.dtype).tril()
    return A @ V, A
