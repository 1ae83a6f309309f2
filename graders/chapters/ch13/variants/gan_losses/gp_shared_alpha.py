"""One α (the first sample's) shared by the whole batch."""


def gradient_penalty(critic, x_real, x_fake, alpha):
    a = alpha.reshape(-1)[0]
    x_hat = (a * x_real + (1 - a) * x_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norms = torch.linalg.vector_norm(grad.flatten(1), dim=1)
    return ((norms - 1) ** 2).mean()
