"""Computes the kernel in float32 (a float32 copy of the model and of X), then casts it back."""
import copy


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    model32 = copy.deepcopy(model).float()
    params = list(model32.parameters())
    out = model32(X.float())
    rows = []
    for n in range(N):
        for i in range(k):
            grads = torch.autograd.grad(out[n, i], params, retain_graph=True)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
    J = torch.stack(rows)
    return (J @ J.T).to(X.dtype)
