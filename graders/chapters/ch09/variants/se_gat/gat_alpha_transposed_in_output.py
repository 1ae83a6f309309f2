"""The output aggregated with αᵀ (out = αᵀ X W): the receivers' weights used as the senders'."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    e = (H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :]
    e = torch.where(e > 0, e, negative_slope * e)
    mask = A | torch.eye(n, dtype=torch.bool) if self_loops else A
    alpha = torch.nan_to_num(torch.softmax(e.masked_fill(~mask, float("-inf")), dim=1), nan=0.0)
    return (alpha.T @ X) @ W, alpha
