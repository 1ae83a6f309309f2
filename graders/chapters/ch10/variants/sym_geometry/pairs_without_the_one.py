"""C(m, 0) forgotten: m + m(m − 1)/2 = m(m + 1)/2."""


def max_regions_plane():
    return m * (m + 1) / 2
