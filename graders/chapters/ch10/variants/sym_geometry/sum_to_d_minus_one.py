"""Zaslavsky's sum stopped at i = d − 1: 1 + m regions for m lines."""


def max_regions_plane():
    return 1 + m
