"""Other equivalent forms: the count as 1 + m(m + 1)/2, the soft threshold as v minus its clip to [−λ, λ]."""


def max_regions_plane():
    return 1 + m * (m + 1) / 2


def soft_threshold():
    return v - sp.Max(-lam, sp.Min(lam, v))
