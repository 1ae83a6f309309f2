"""Interval test that only compares the negatives with the positives' end points strictly inside (a < x < b): a negative duplicate of an end point is missed."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass != "interval":
        return _original(points, labels, hclass)
    inside, outside = points[labels > 0], points[labels < 0]
    if len(inside) == 0:
        return True
    return not np.any((outside > inside.min()) & (outside < inside.max()))
