"""multi_head through the forbidden torch.nn.MultiheadAttention module."""


def multi_head(X, W_Q, W_K, W_V, W_O, h):
    C = X.shape[1]
    mha = torch.nn.MultiheadAttention(C, h, bias=False, dtype=X.dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([W_Q.T, W_K.T, W_V.T]))
        mha.out_proj.weight.copy_(W_O.T)
        out, _ = mha(X, X, X, need_weights=False)
    return out
