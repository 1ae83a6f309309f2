"""The predicted change has the wrong sign: +η K (f − y)."""


_correct_gd_output_change = gd_output_change


def gd_output_change(model, X, y, lr):
    actual, pred = _correct_gd_output_change(model, X, y, lr)
    return actual, -pred
