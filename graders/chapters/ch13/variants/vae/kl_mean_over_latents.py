"""The KL averaged over the latent dimensions instead of summed."""


def gaussian_kl(mu, logvar):
    return 0.5 * (torch.exp(logvar) + mu ** 2 - logvar - 1).mean(dim=1)
