"""The loss summed over the batch instead of averaged."""


def elbo_loss(x, x_rec, mu, logvar, beta=1.0):
    reconstruction = 0.5 * ((x - x_rec) ** 2).flatten(1).sum(dim=1)
    return (reconstruction + beta * gaussian_kl(mu, logvar)).sum()
