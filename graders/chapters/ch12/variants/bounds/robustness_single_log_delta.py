"""ln(1/δ) without its factor 2 in the robustness bound."""


def robustness_bound(eps, M, K, N, delta):
    return eps + M * math.sqrt((2 * K * math.log(2) + math.log(1 / delta)) / N)
