"""The factor ½ of the Gaussian KL dropped."""


def kl_diag_gauss(mq, vq, mp, vp):
    mq, vq, mp, vp = (np.asarray(a, dtype=float) for a in (mq, vq, mp, vp))
    ratio = vq / vp
    return float(np.sum(ratio + (mp - mq) ** 2 / vp - 1 - np.log(ratio)))
