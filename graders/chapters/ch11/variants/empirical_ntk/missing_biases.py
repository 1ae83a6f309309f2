"""The Jacobian over the weight matrices only: the biases' contribution to the kernel is missing."""


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    weights = [p for name, p in model.named_parameters() if not name.endswith("bias")]
    out = model(X)
    rows = []
    for n in range(N):
        for i in range(k):
            grads = torch.autograd.grad(out[n, i], weights, retain_graph=True)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return J @ J.T
