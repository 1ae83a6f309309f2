"""ln(1/δ) where the two-sided Hoeffding bound needs ln(2/δ)."""


def hoeffding_finite(emp, card_F, N, delta):
    return emp + math.sqrt((math.log(card_F) + math.log(1 / delta)) / (2 * N))
