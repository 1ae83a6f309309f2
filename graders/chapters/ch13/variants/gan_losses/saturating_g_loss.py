"""The saturating generator loss E log(1 − D(G(z))) instead of −E log D(G(z))."""


def g_loss_nonsat(fake_logits):
    return -torch.logaddexp(fake_logits.new_zeros(()), fake_logits).mean()   # E log(1 − σ(a))
