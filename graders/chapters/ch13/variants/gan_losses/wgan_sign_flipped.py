"""The WGAN critic loss with its sign flipped: mean(real) − mean(fake)."""


def wgan_critic_loss(real, fake):
    return real.mean() - fake.mean()
