"""The bounds with numpy's logs split apart, Sauer's sum by Pascal's triangle, KL as a log-det form."""


def hoeffding_finite(emp, card_F, N, delta):
    return float(emp + np.sqrt((np.log(card_F) + np.log(2.0) - np.log(delta)) / (2.0 * N)))


def vc_bound(emp, d_vc, N, delta):
    return float(emp + np.sqrt((d_vc * np.log(2.0 * N / d_vc) + d_vc + np.log(4.0) - np.log(delta)) / N))


def sauer(n, d):
    row = [1]                                             # C(0, ·)
    for _ in range(n):
        row = [1] + [row[i] + row[i + 1] for i in range(len(row) - 1)] + [1]
    return int(sum(row[: d + 1]))


def kl_diag_gauss(mq, vq, mp, vp):
    d = len(mq)
    log_det_ratio = np.sum(np.log(vp)) - np.sum(np.log(vq))
    return float(0.5 * (np.sum(vq / vp) + np.sum((mq - mp) ** 2 / vp) - d + log_det_ratio))


def pac_bayes(emp_gibbs, kl, N, delta):
    return float(emp_gibbs + np.sqrt((kl + np.log(2.0) + 0.5 * np.log(N) - np.log(delta)) / (2.0 * N)))


def robustness_bound(eps, M, K, N, delta):
    return float(eps + M * np.sqrt(2.0 * (K * np.log(2.0) - np.log(delta)) / N))
