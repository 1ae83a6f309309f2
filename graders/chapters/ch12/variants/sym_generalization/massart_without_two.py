"""Massart's bound with √(ln card_F) instead of √(2 ln card_F)."""


def massart_rademacher():
    return r * sp.sqrt(sp.log(card_F)) / N
