"""KL(p ‖ q) instead of KL(q ‖ p): the direction reversed."""


def kl_diag_gauss(mq, vq, mp, vp):
    mq, vq, mp, vp = (np.asarray(a, dtype=float) for a in (mq, vq, mp, vp))
    ratio = vp / vq
    return float(0.5 * np.sum(ratio + (mq - mp) ** 2 / vq - 1 - np.log(ratio)))
