"""ntk_error averages the kernels over the seeds and reports the error of the mean kernel, not
the mean of the per-seed errors."""


def ntk_error(X, depth, widths, seeds=(0, 1), device="cpu", beta=0.1):
    X = X.to(device=device, dtype=torch.float64)
    theta = relu_ntk_analytic(X, depth, beta)
    errors = []
    for width in widths:
        K = sum(_empirical_ntk(ntk_param_mlp(X.shape[1], width, depth, beta, s, device), X) for s in seeds) / len(seeds)
        errors.append(float(torch.linalg.norm(K - theta) / torch.linalg.norm(theta)))
    return errors
