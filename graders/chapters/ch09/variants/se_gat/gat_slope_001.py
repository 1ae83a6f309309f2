"""LeakyReLU with torch's default slope 0.01 instead of negative_slope (0.2, as GATConv)."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    e = torch.nn.functional.leaky_relu((H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :])
    mask = A | torch.eye(n, dtype=torch.bool) if self_loops else A
    alpha = torch.nan_to_num(torch.softmax(e.masked_fill(~mask, float("-inf")), dim=1), nan=0.0)
    return alpha @ H, alpha
