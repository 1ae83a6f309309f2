"""Hard thresholding v·1{|v| > λ} instead of soft thresholding."""


def prox_l1(v, lam):
    v = np.asarray(v, dtype=float)
    return np.where(np.abs(v) > lam, v, 0.0)
