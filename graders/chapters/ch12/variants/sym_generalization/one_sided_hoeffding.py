"""ln(1/δ) where the two-sided Hoeffding bound needs ln(2/δ)."""


def finite_class_gap():
    return "sqrt((log(card_F) + log(1/delta))/(2*N))"
