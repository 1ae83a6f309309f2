"""The variances read as standard deviations (squared again)."""


def kl_diag_gauss(mq, vq, mp, vp):
    mq, vq, mp, vp = (np.asarray(a, dtype=float) for a in (mq, vq, mp, vp))
    ratio = vq**2 / vp**2
    return float(0.5 * np.sum(ratio + (mp - mq) ** 2 / vp**2 - 1 - np.log(ratio)))
