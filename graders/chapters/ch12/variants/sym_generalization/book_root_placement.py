"""The book-literal eq 12.9: the square root over the numerator only, √(ln card_F + ln(2/δ))/(2N)."""


def finite_class_gap():
    return sp.sqrt(sp.log(card_F) + sp.log(2 / delta)) / (2 * N)
