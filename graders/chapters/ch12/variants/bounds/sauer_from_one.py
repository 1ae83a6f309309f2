"""Sauer's sum started at i = 1, as eq 12.15 prints it."""


def sauer(n, d):
    return sum(math.comb(n, i) for i in range(1, min(n, d) + 1))
