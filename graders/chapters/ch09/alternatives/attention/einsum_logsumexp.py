"""einsum for the products, the softmax as exp(logits − logsumexp), masks filled with the dtype's most
negative number instead of −inf."""


def attention(Q, K, V, mask=None, causal=False, scale=None):
    d = Q.shape[-1]
    logits = torch.einsum("...ld,...sd->...ls", Q, K) * (d ** -0.5 if scale is None else scale)
    lowest = torch.finfo(Q.dtype).min
    if mask is not None:
        logits = logits.masked_fill(mask.logical_not(), lowest) if mask.dtype == torch.bool else logits + mask
    if causal:
        L, S = logits.shape[-2:]
        future = torch.arange(S, device=Q.device)[None, :] > torch.arange(L, device=Q.device)[:, None]
        logits = logits.masked_fill(future, lowest)
    A = torch.exp(logits - torch.logsumexp(logits, dim=-1, keepdim=True))
    return torch.einsum("...ls,...sv->...lv", A, V), A


def self_attention(X, W_Q, W_K, W_V):
    Q, K, V = torch.matmul(X, W_Q), torch.matmul(X, W_K), torch.matmul(X, W_V)
    return attention(Q, K, V, scale=1 / math.sqrt(W_Q.shape[1]))
