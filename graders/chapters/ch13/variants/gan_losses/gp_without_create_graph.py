"""The penalty's gradient taken with create_graph=False: no double backward into the critic."""


def gradient_penalty(critic, x_real, x_fake, alpha):
    x_hat = (alpha * x_real + (1 - alpha) * x_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    norms = torch.linalg.vector_norm(grad.flatten(1), dim=1)
    return ((norms - 1) ** 2).mean()
