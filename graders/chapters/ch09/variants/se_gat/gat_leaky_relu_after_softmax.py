"""Softmax of the raw scores aᵀ[h_i ∥ h_j], the LeakyReLU applied to the output instead."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    e = (H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :]
    mask = A | torch.eye(n, dtype=torch.bool) if self_loops else A
    alpha = torch.nan_to_num(torch.softmax(e.masked_fill(~mask, float("-inf")), dim=1), nan=0.0)
    out = alpha @ H
    return torch.where(out > 0, out, negative_slope * out), alpha
