"""The reconstruction term as a mean over every entry (F.mse_loss's default) instead of summed per sample."""


def elbo_loss(x, x_rec, mu, logvar, beta=1.0):
    return 0.5 * ((x - x_rec) ** 2).mean() + beta * gaussian_kl(mu, logvar).mean()
