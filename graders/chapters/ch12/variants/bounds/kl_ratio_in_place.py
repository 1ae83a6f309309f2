"""kl_diag_gauss forms the variance ratio in the caller's vq (vq /= vp) instead of a new array."""


def kl_diag_gauss(mq, vq, mp, vp):
    vq /= vp                                              # the ratio, written over the caller's variances
    return float(0.5 * np.sum(vq + (mp - mq) ** 2 / vp - 1 - np.log(vq)))
