"""A plain masked softmax: a node with no in-edge and no self-loop gets NaN instead of zeros."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    e = (H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :]
    e = torch.where(e > 0, e, negative_slope * e)
    mask = A | torch.eye(n, dtype=torch.bool) if self_loops else A
    alpha = torch.softmax(e.masked_fill(~mask, float("-inf")), dim=1)
    return alpha @ H, alpha
