"""The empirical NTK in ntk_error counts the weights only, not the biases."""


def _empirical_ntk(model, X):
    params = [p for p in model.parameters() if p.ndim == 2]
    out = model(X)[:, 0]
    grads = [torch.autograd.grad(out[n], params, retain_graph=True) for n in range(len(X))]
    K = torch.zeros(len(X), len(X), dtype=X.dtype, device=X.device)
    for j in range(len(params)):
        G = torch.stack([g[j].reshape(-1) for g in grads])
        K += G @ G.T
    return K
