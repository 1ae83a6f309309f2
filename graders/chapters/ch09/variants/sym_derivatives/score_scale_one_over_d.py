"""The attention scale 1/d instead of 1/√d."""


def score_scale():
    return 1 / d
