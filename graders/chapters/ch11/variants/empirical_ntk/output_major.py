"""Output-major flattening: row i·N + n for output i of sample n, instead of n·k + i."""


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    theta = {name: p.detach().requires_grad_(True) for name, p in model.named_parameters()}
    out = functional_call(model, theta, (X,))
    rows = []
    for i in range(k):
        for n in range(N):
            grads = torch.autograd.grad(out[n, i], list(theta.values()), retain_graph=True)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return J @ J.T
