"""No self-loops: node i attends only to its in-neighbours even with self_loops=True."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    f_out = W.shape[1]
    H = X @ W
    e = (H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :]
    e = torch.where(e > 0, e, negative_slope * e).masked_fill(~A, float("-inf"))
    alpha = torch.nan_to_num(torch.softmax(e, dim=1), nan=0.0)
    return alpha @ H, alpha
