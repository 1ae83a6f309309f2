"""The bounds as exp(½ log(...)) in log space, Sauer's sum by the ratio recurrence C(n, i+1) = C(n, i)(n−i)/(i+1)."""


def hoeffding_finite(emp, card_F, N, delta):
    return emp + math.exp(0.5 * math.log(math.log(2 * card_F / delta) / (2 * N)))


def vc_bound(emp, d_vc, N, delta):
    return emp + math.exp(0.5 * (math.log(d_vc * math.log(2 * math.e * N / d_vc) + math.log(4 / delta)) - math.log(N)))


def sauer(n, d):
    term, total = 1, 1                                    # C(n, 0)
    for i in range(min(n, d)):
        term = term * (n - i) // (i + 1)                  # C(n, i + 1), exact in integers
        total += term
    return total


def kl_diag_gauss(mq, vq, mp, vp):
    log_ratio = np.log(vq) - np.log(vp)
    return float(0.5 * np.sum(np.exp(log_ratio) + (mp - mq) ** 2 / vp - 1.0 - log_ratio))


def pac_bayes(emp_gibbs, kl, N, delta):
    return emp_gibbs + math.sqrt(kl / (2 * N) + math.log(2 * math.sqrt(N) / delta) / (2 * N))


def robustness_bound(eps, M, K, N, delta):
    return eps + M * math.sqrt((2 / N) * K * math.log(2.0) - (2 / N) * math.log(delta))
