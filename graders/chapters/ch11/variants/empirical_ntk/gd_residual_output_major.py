"""The NTK acts on the residual flattened output-major (f − y).T.reshape(-1), against K's sample-major layout."""


def gd_output_change(model, X, y, lr):
    N, k = _check_model_and_inputs(model, X)
    theta = {name: p.detach().requires_grad_(True) for name, p in model.named_parameters()}
    out = functional_call(model, theta, (X,))
    residual = out - y
    grads = torch.autograd.grad(0.5 * (residual**2).sum(), list(theta.values()))
    stepped = {name: p.detach() - lr * g for (name, p), g in zip(theta.items(), grads)}
    with torch.no_grad():
        delta_actual = functional_call(model, stepped, (X,)) - out.detach()
    K = empirical_ntk(model, X)
    return delta_actual, -lr * (K @ residual.detach().T.reshape(-1)).reshape(k, N).T
