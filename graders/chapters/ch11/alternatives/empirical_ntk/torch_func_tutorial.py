"""The PyTorch NTK tutorial's per-sample jacrev + vmap + functional_call; the step taken by
torch.optim.SGD on a deep copy of the model."""
import copy

from torch.func import jacrev, vmap


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    params = {name: p.detach() for name, p in model.named_parameters()}

    def f(p, x):
        return functional_call(model, p, (x.unsqueeze(0),)).squeeze(0)

    jac = vmap(jacrev(f), (None, 0))(params, X)
    K = sum(torch.einsum("aip,bjp->aibj", J.flatten(2), J.flatten(2)) for J in jac.values())
    return K.reshape(N * k, N * k)


def gd_output_change(model, X, y, lr):
    N, k = _check_model_and_inputs(model, X)
    copy_ = copy.deepcopy(model)
    before = copy_(X)
    optimizer = torch.optim.SGD(copy_.parameters(), lr=lr)
    optimizer.zero_grad()
    (0.5 * ((before - y) ** 2).sum()).backward()
    optimizer.step()
    with torch.no_grad():
        after = copy_(X)
    residual = (before - y).detach().reshape(-1)
    return after - before.detach(), -lr * (empirical_ntk(model, X) @ residual).reshape(N, k)
