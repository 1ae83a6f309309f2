"""The factor 2 of the denominator 2N dropped."""


def hoeffding_finite(emp, card_F, N, delta):
    return emp + math.sqrt((math.log(card_F) + math.log(2 / delta)) / N)
