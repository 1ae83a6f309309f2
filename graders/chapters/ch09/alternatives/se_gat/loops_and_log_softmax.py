"""SE with adaptive_avg_pool2d and linear layers; GAT with a per-node loop over the neighbours and torch's own softmax."""


def se_block(X, W1, W2):
    z = torch.nn.functional.adaptive_avg_pool2d(X, 1).flatten(1)
    s = torch.sigmoid(torch.nn.functional.linear(torch.relu(torch.nn.functional.linear(z, W1.T)), W2.T))
    return X * s.unsqueeze(-1).unsqueeze(-1)


def gat_layer(A, X, W, a, negative_slope=0.2, self_loops=True):
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    alpha = torch.zeros(n, n, dtype=X.dtype)
    out = torch.zeros(n, f_out, dtype=X.dtype)
    for i in range(n):
        neighbours = A[i].clone()
        if self_loops:
            neighbours[i] = True
        js = torch.nonzero(neighbours).flatten()
        if len(js) == 0:
            continue
        scores = torch.cat([H[i].expand(len(js), f_out), H[js]], dim=1) @ a
        weights = torch.softmax(torch.nn.functional.leaky_relu(scores, negative_slope), dim=0)
        alpha[i, js] = weights
        out[i] = weights @ H[js]
    return out, alpha
