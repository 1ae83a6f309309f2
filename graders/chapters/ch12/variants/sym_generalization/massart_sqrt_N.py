"""Massart's bound over √N instead of N (r is the norm of the whole value vector, not of one entry)."""


def massart_rademacher():
    return "r*sqrt(2*log(card_F))/sqrt(N)"
