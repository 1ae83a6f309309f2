"""Computes the kernel in float64 whatever the model's dtype (a float32 model gets a float64 K)."""
import copy


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    model64 = copy.deepcopy(model).double()
    params = list(model64.parameters())
    out = model64(X.double())
    rows = []
    for n in range(N):
        for i in range(k):
            grads = torch.autograd.grad(out[n, i], params, retain_graph=True)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return J @ J.T
