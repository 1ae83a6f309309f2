"""β weighing the reconstruction term instead of the KL."""


def elbo_loss(x, x_rec, mu, logvar, beta=1.0):
    reconstruction = 0.5 * ((x - x_rec) ** 2).flatten(1).sum(dim=1)
    return (beta * reconstruction + gaussian_kl(mu, logvar)).mean()
