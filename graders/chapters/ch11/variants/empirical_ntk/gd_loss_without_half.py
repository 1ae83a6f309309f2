"""The step is taken on Σ‖f − y‖² (no ½), so the actual change is twice the NTK's prediction."""


def gd_output_change(model, X, y, lr):
    N, k = _check_model_and_inputs(model, X)
    theta = {name: p.detach().requires_grad_(True) for name, p in model.named_parameters()}
    out = functional_call(model, theta, (X,))
    residual = out - y
    grads = torch.autograd.grad((residual**2).sum(), list(theta.values()))
    stepped = {name: p.detach() - lr * g for (name, p), g in zip(theta.items(), grads)}
    with torch.no_grad():
        delta_actual = functional_call(model, stepped, (X,)) - out.detach()
    K = empirical_ntk(model, X)
    return delta_actual, -lr * (K @ residual.detach().reshape(-1)).reshape(N, k)
