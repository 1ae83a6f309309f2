"""multi_head as a loop over heads on column slices, concatenated with torch.cat; the softmax written
out with the row maximum subtracted."""


def attention(Q, K, V, mask=None, causal=False, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[-1])
    logits = Q @ K.transpose(-1, -2) * scale
    if mask is not None:
        logits = torch.where(mask, logits, -math.inf) if mask.dtype == torch.bool else logits + mask
    if causal:
        L, S = logits.shape[-2:]
        logits = torch.where(torch.ones(L, S, dtype=torch.bool, device=Q.device).tril(), logits, -math.inf)
    E = torch.exp(logits - logits.amax(dim=-1, keepdim=True))
    A = E / E.sum(dim=-1, keepdim=True)
    return A @ V, A


def multi_head(X, W_Q, W_K, W_V, W_O, h):
    dq, dv = W_Q.shape[1] // h, W_V.shape[1] // h
    heads = []
    for k in range(h):
        q, kk = X @ W_Q[:, k * dq:(k + 1) * dq], X @ W_K[:, k * dq:(k + 1) * dq]
        out, _ = attention(q, kk, X @ W_V[:, k * dv:(k + 1) * dv])
        heads.append(out)
    return torch.cat(heads, dim=1) @ W_O
