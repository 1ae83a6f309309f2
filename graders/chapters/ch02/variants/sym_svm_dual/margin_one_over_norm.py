"""The margin taken as 1/‖w‖ (the distance to one margin line) instead of 2/‖w‖."""


def margin():
    return 1 / sp.sqrt(sp.Rational(5, 4))
