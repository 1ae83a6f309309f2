"""The kernel over the last layer's parameters only (the features' Gram matrix, not the NTK)."""


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    last = [m for m in model.modules() if len(list(m.parameters(recurse=False)))][-1]
    params = list(last.parameters(recurse=False))
    out = model(X)
    rows = []
    for n in range(N):
        for i in range(k):
            grads = torch.autograd.grad(out[n, i], params, retain_graph=True)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return J @ J.T
