"""Differentiates the sum of the outputs of each sample: an (N, N) kernel of Σ_i f_i, not (N·k, N·k)."""


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    params = list(model.parameters())
    out = model(X)
    rows = []
    for n in range(N):
        grads = torch.autograd.grad(out[n].sum(), params, retain_graph=True)
        rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return J @ J.T
