"""JS computed with log base 2 (bits) instead of nats."""

_js_right = js


def js(P, Q):
    return _js_right(P, Q) / np.log(2.0)
