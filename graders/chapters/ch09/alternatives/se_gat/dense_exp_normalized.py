"""SE with einsum; GAT with the LeakyReLU of torch.nn.functional and the softmax written as exp/sum after a global shift."""


def se_block(X, W1, W2):
    z = torch.einsum("bchw->bc", X) / (X.shape[2] * X.shape[3])
    s = torch.sigmoid(torch.clamp(z @ W1, min=0) @ W2)
    return torch.einsum("bchw,bc->bchw", X, s)


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    pair = torch.cat([H.unsqueeze(1).expand(n, n, f_out), H.unsqueeze(0).expand(n, n, f_out)], dim=2)
    e = torch.nn.functional.leaky_relu(pair @ a, negative_slope)
    mask = A.clone()
    if self_loops:
        mask.fill_diagonal_(True)
    weights = torch.where(mask, torch.exp(e - e[mask].max() if mask.any() else e), torch.zeros_like(e))
    total = weights.sum(dim=1, keepdim=True)
    alpha = torch.where(total > 0, weights / total.clamp_min(torch.finfo(e.dtype).tiny), torch.zeros_like(weights))
    return alpha @ H, alpha
