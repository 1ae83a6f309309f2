"""M put under the square root (√M instead of M)."""


def robustness_bound(eps, M, K, N, delta):
    return eps + math.sqrt(M * (2 * K * math.log(2) + 2 * math.log(1 / delta)) / N)
