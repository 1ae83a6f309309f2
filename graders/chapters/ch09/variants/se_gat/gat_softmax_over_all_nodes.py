"""The softmax taken over all nodes, ignoring the graph."""


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    f_out = W.shape[1]
    H = X @ W
    e = (H @ a[:f_out])[:, None] + (H @ a[f_out:])[None, :]
    e = torch.where(e > 0, e, negative_slope * e)
    alpha = torch.softmax(e, dim=1)
    return alpha @ H, alpha
