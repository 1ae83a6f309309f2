"""The denominator N where Hoeffding gives 2N."""


def finite_class_gap():
    return sp.sqrt((sp.log(card_F) + sp.log(2 / delta)) / N)
