"""graders/grading/numbers.py: numbers as a person reads them."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.grading.numbers import points, seconds, significant


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_points_keep_at_most_two_decimals_and_round_to_the_nearest(value):
    text = points(value)
    assert len(text.partition(".")[2]) <= 2 and not text.endswith((".", "0.0"))
    assert abs(float(text) - value) <= 0.005 + 1e-9


@pytest.mark.parametrize("value, shown", [(12.000000001, "12"), (11.999999999, "12"), (0.1 + 0.2, "0.3"),
                                          (2 / 3, "0.67"), (-0.001, "0"), (1e9, "1000000000")])
def test_points_without_float_noise(value, shown):
    assert points(value) == shown


@pytest.mark.parametrize("value, shown", [(4.96808, "4.97 s"), (5.0, "5 s"), (0.25, "0.25 s"), (0.0004, "0.0004 s"),
                                          (59.99, "60 s"), (60.4, "1 min"), (95, "1 min 35 s"), (7260, "2 h 1 min")])
def test_seconds_read_like_a_person_says_them(value, shown):
    assert seconds(value) == shown


@given(st.floats(1e-6, 1e12))
def test_significant_keeps_three_digits(value):
    assert math.isclose(float(significant(value)), value, rel_tol=5e-3)
