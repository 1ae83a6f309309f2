"""l2_grad differentiates λ·Σ‖θ‖² (2λθ) instead of the (λ/2)·Σ‖θ‖² of weight decay."""


def l2_grad(params, lam):
    return [2 * lam * np.asarray(theta, float) for theta in params]
