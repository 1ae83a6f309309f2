"""Every one of the 2^m activation patterns counted as a region."""


def max_regions_plane():
    return 2**m
