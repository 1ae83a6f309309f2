"""Sauer's sum stopped at i = d − 1 (an off-by-one range)."""


def sauer(n, d):
    return sum(math.comb(n, i) for i in range(min(n, d)))
