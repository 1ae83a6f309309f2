"""Real logits scored against label 0 and fake ones against label 1."""


def d_loss_bce(real_logits, fake_logits):
    zero = real_logits.new_zeros(())
    return torch.logaddexp(zero, real_logits).mean() + torch.logaddexp(zero, -fake_logits).mean()
