"""Zaslavsky's sum stopped at d − 1."""


def max_regions_single_layer(m, d):
    return sum(math.comb(m, i) for i in range(d))
