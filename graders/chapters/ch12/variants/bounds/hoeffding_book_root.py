"""The book-literal eq 12.9: the square root over the numerator only."""


def hoeffding_finite(emp, card_F, N, delta):
    return emp + math.sqrt(math.log(card_F) + math.log(2 / delta)) / (2 * N)
