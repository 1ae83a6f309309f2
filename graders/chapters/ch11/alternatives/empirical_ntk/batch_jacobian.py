"""One jacrev of the whole batch's outputs per parameter tensor, K as a sum of per-tensor einsums;
the step through torch.func.grad."""
from torch.func import grad, jacrev


def empirical_ntk(model, X):
    N, k = _check_model_and_inputs(model, X)
    params = {name: p.detach() for name, p in model.named_parameters()}
    jac = jacrev(lambda p: functional_call(model, p, (X,)))(params)   # name -> (N, k, *shape)
    K = torch.zeros(N, k, N, k, dtype=X.dtype, device=X.device)
    for J in jac.values():
        J = J.reshape(N, k, -1)
        K += torch.einsum("aip,bjp->aibj", J, J)
    return K.reshape(N * k, N * k)


def gd_output_change(model, X, y, lr):
    N, k = _check_model_and_inputs(model, X)
    params = {name: p.detach() for name, p in model.named_parameters()}
    g = grad(lambda p: 0.5 * ((functional_call(model, p, (X,)) - y) ** 2).sum())(params)
    with torch.no_grad():
        f0 = functional_call(model, params, (X,))
        f1 = functional_call(model, {name: p - lr * g[name] for name, p in params.items()}, (X,))
    pred = -lr * torch.einsum("aibj,bj->ai", empirical_ntk(model, X).reshape(N, k, N, k), f0 - y)
    return f1 - f0, pred
