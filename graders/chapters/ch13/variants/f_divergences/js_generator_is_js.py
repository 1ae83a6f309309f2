"""Assumes the JS generator gives JS: f_div(P, Q, 'js') halved to equal js(P, Q)."""

_f_div_right = f_div


def f_div(P, Q, name):
    value = _f_div_right(P, Q, name)
    return value / 2 if name == "js" else value
