"""ntk_error reports the absolute Frobenius error ‖Θ̂ − Θ‖_F, not divided by ‖Θ‖_F."""


def ntk_error(X, depth, widths, seeds=(0, 1), device="cpu", beta=0.1):
    X = X.to(device=device, dtype=torch.float64)
    theta = relu_ntk_analytic(X, depth, beta)
    errors = []
    for width in widths:
        per_seed = [float(torch.linalg.norm(_empirical_ntk(ntk_param_mlp(X.shape[1], width, depth, beta, s, device),
                                                            X) - theta)) for s in seeds]
        errors.append(sum(per_seed) / len(per_seed))
    return errors
