"""Numbers as a person reads them in grading messages and reports: points, seconds, quantities.

Floats carry noise a person should not have to read (``12.000000001`` points, a time limit of
``4.96808`` s); these helpers round for display only. Data (the result JSON, the CSV, the
results store) keeps its values as they are.
"""
from __future__ import annotations

import math

#: Decimals a score keeps on the page: a third of a point reads ``0.33``.
POINT_DECIMALS = 2
#: Significant digits of a duration or a measured quantity.
SIGNIFICANT_DIGITS = 3


def points(value: float) -> str:
    """Points with at most two decimals, without trailing zeros or float noise.

    >>> points(12.000000001), points(2.5), points(1 / 3), points(-0.0), points(10)
    ('12', '2.5', '0.33', '0', '10')
    """
    rounded = round(float(value), POINT_DECIMALS)
    if not math.isfinite(rounded):
        return str(rounded)
    text = f"{rounded:.{POINT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """``value`` to ``digits`` significant digits, in plain notation where that stays short.

    >>> significant(4.96808), significant(0.012345), significant(123456.7), significant(2e-9)
    ('4.97', '0.0123', '123457', '2e-09')
    """
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return format(value, "g")
    magnitude = math.floor(math.log10(abs(value)))
    if -5 <= magnitude < 15:
        decimals = max(0, digits - 1 - magnitude)
        text = f"{round(value, decimals):.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return format(value, f".{digits}g")


def seconds(value: float) -> str:
    """A duration: three significant digits under a minute, else minutes (and hours) and seconds.

    >>> seconds(5.0), seconds(4.96808), seconds(0.0123), seconds(59.96), seconds(125.4), seconds(3725)
    ('5 s', '4.97 s', '0.0123 s', '60 s', '2 min 5 s', '1 h 2 min')
    """
    value = float(value)
    if not math.isfinite(value) or value < 60:
        return f"{significant(value)} s"
    whole = round(value)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    hours, rest = divmod(whole, 3600)
    minutes = rest // 60
    return f"{hours} h" + (f" {minutes} min" if minutes else "")
