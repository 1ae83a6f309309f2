"""The cycle loss summed over entries instead of averaged (not nn.L1Loss's mean)."""


def cycle_loss(x, x_rec, y, y_rec):
    return (x_rec - x).abs().sum() + (y_rec - y).abs().sum()
