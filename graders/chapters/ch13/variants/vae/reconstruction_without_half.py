"""The reconstruction term ‖x − x̂‖² without its ½."""


def elbo_loss(x, x_rec, mu, logvar, beta=1.0):
    reconstruction = ((x - x_rec) ** 2).flatten(1).sum(dim=1)
    return (reconstruction + beta * gaussian_kl(mu, logvar)).mean()
