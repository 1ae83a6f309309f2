"""``graders.authoring.checks.numeric``: assert_close (NaN never passes, infinities match exactly,
shape before numbers, ``atol + rtol·max|want|``), expect, relative_error, expit."""
from __future__ import annotations

import math

import numpy as np
import pytest

from graders.authoring.checks.numeric import assert_close, assert_equal_shape, expect, expit, relative_error
from graders.grading.outcomes import CheckFailed
from graders.worker.wire import TensorData


def _fails(got, want, **kwargs) -> str:
    kwargs.setdefault("rtol", 1e-8)
    kwargs.setdefault("name", "x")
    with pytest.raises(CheckFailed) as info:
        assert_close(got, want, **kwargs)
    return info.value.message


# --------------------------------------------------------------------------- expect
def test_expect_passes_on_truthy_and_fails_with_the_message():
    expect(True, "unused")
    expect(np.bool_(True), "unused")
    expect([0], "a non-empty list is truthy")
    with pytest.raises(CheckFailed, match=r"^w should be normalised$"):
        expect(False, "w should be normalised")
    with pytest.raises(CheckFailed):
        expect(0.0, "zero is false")
    with pytest.raises(CheckFailed):
        expect(np.bool_(False), "numpy false")


# --------------------------------------------------------------------------- expit
def test_expit_is_the_logistic_function_and_does_not_overflow():
    assert expit(0.0) == 0.5
    z = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    np.testing.assert_allclose(expit(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    with np.errstate(all="raise"):  # scipy's expit: no overflow warning at the extremes
        extremes = expit(np.array([-1000.0, 1000.0]))
    assert extremes.tolist() == [0.0, 1.0]
    np.testing.assert_allclose(expit(z) + expit(-z), 1.0, rtol=1e-15)


# --------------------------------------------------------------------------- relative_error
def test_relative_error_is_max_abs_error_over_max_abs_want():
    assert relative_error(np.array([1.0, 2.5]), np.array([1.0, 2.0])) == pytest.approx(0.25)
    assert relative_error(np.array([[1.0, -4.0]]), np.array([[1.5, -4.0]])) == pytest.approx(0.5 / 4.0)


def test_relative_error_is_absolute_when_want_is_zero_and_zero_when_empty():
    assert relative_error(np.array([0.5, -0.25]), np.zeros(2)) == pytest.approx(0.5)
    assert relative_error(np.array([]), np.array([])) == 0.0


def test_relative_error_is_inf_when_got_has_nan():
    assert relative_error(np.array([1.0, np.nan]), np.array([1.0, 2.0])) == math.inf
    assert relative_error(np.array(np.nan), np.array(1.0)) == math.inf
    assert relative_error(np.array([complex(1.0, np.nan)]), np.array([1.0])) == math.inf


def test_relative_error_of_complex_values():
    assert relative_error(np.array([1 + 1j]), np.array([1.0])) == pytest.approx(1.0)
    assert relative_error(np.array([3.0]), np.array([3 + 4j])) == pytest.approx(4.0 / 5.0)


# --------------------------------------------------------------------------- assert_close: passes
def test_close_values_pass_within_rtol_scaled_by_max_abs_want():
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-13]), rtol=1e-10, name="x")
    # the scale is max|want| = 100, so an error of 5e-9 on the small entry is inside 1e-10·100
    assert_close(np.array([1.0 + 5e-9, 100.0]), np.array([1.0, 100.0]), rtol=1e-10, name="x")
    with pytest.raises(CheckFailed):  # ...but not relative to the small entry alone
        assert_close(np.array([1.0 + 5e-9]), np.array([1.0]), rtol=1e-10, name="x")


def test_tolerance_is_atol_plus_rtol_times_scale_at_the_boundary():
    want = np.array([0.0, -4.0])  # max|want| = 4 → tolerance = 0.1 + 0.25·4 = 1.1
    assert_close(want + np.array([1.1, 0.0]), want, rtol=0.25, atol=0.1, name="x")
    message = _fails(want + np.array([1.1 + 1e-9, 0.0]), want, rtol=0.25, atol=0.1)
    assert "tolerance 1.1 = 0.1 + 0.25 × max|expected| 4" in message
    # atol alone lets a zero expectation be matched approximately
    assert_close(np.array([1e-12]), np.array([0.0]), rtol=1e-8, atol=1e-11, name="x")
    with pytest.raises(CheckFailed):
        assert_close(np.array([1e-12]), np.array([0.0]), rtol=1e-8, name="x")


def test_zero_tolerance_means_exact():
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0]), rtol=0.0, name="x")
    message = _fails(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 4.5]]), rtol=0.0)
    assert message == "x is wrong at index [1, 1]: expected 4.5, got 4 (error 0.5 > tolerance 0 (exact))"


def test_lists_ints_and_scalars_are_accepted_as_values():
    assert_close([1, 2, 3], np.array([1.0, 2.0, 3.0]), rtol=0.0, name="x")
    assert_close(2.0, 2.0 + 1e-12, rtol=1e-10, name="s")
    assert_close(np.array([1, 2]), np.array([1, 2]), rtol=0.0, name="ints")


def test_tensor_data_only_with_tensor_true():
    value = TensorData(np.array([1.0, 2.0], dtype=np.float32), "float32")
    assert_close(value, np.array([1.0, 2.0]), rtol=1e-6, name="t", tensor=True)
    message = _fails(value, np.array([1.0, 2.0]), rtol=1e-6, name="t")
    assert message.startswith("t should be a numpy array; got a torch tensor of shape (2,)")


# --------------------------------------------------------------------------- assert_close: messages
def test_message_names_the_index_the_values_and_the_tolerance():
    message = _fails(np.array([1.0, 2.5]), np.array([1.0, 2.0]), rtol=1e-10)
    assert message == ("x is wrong at index 1: expected 2, got 2.5 "
                       "(error 0.5 > tolerance 2e-10 = 1e-10 × max|expected| 2)")


def test_message_points_at_the_worst_entry_of_a_matrix():
    want = np.arange(6.0).reshape(2, 3)
    got = want.copy()
    got[0, 1] += 1e-3
    got[1, 2] += 0.5  # the worst
    message = _fails(got, want, rtol=1e-6, name="dW")
    assert message.startswith("dW is wrong at index [1, 2]: expected 5, got 5.5 (error 0.5 > tolerance 5e-06")


def test_message_of_a_scalar_names_no_index():
    message = _fails(1.5, 1.0, rtol=1e-8, name="loss")
    assert message == "loss is wrong: expected 1, got 1.5 (error 0.5 > tolerance 1e-08 = 1e-08 × max|expected| 1)"


# --------------------------------------------------------------------------- assert_close: shape first
def test_wrong_shape_fails_before_any_number_is_compared():
    message = _fails(np.ones((3, 2)), np.ones((2, 3)), rtol=1e-10, name="dW")
    assert message == "dW should have shape (2, 3); got shape (3, 2)"
    # even a NaN-filled answer of the wrong shape is reported for its shape
    assert _fails(np.full(2, np.nan), np.zeros(3)) == "x should have shape (3,); got shape (2,)"
    # a transposed vector, a column instead of a flat vector, a scalar instead of a one-element array
    assert "should have shape (3,); got shape (3, 1)" in _fails(np.zeros((3, 1)), np.zeros(3))
    assert "should have shape (1,); got shape ()" in _fails(np.float64(0.0), np.zeros(1))


def test_ragged_and_non_numeric_values_fail_as_checks():
    assert "not rectangular" in _fails([[1.0, 2.0], [3.0]], np.zeros((2, 2)))
    assert "should be a numeric array" in _fails(["a", "b"], np.zeros(2))
    assert "should be an array; got None" in _fails(None, np.zeros(2))


def test_assert_equal_shape():
    assert_equal_shape(np.zeros((2, 3)), (2, 3), name="A")
    with pytest.raises(CheckFailed, match=r"^A should have shape \(3, 2\); got shape \(2, 3\)$"):
        assert_equal_shape(np.zeros((2, 3)), [3, 2], name="A")


# --------------------------------------------------------------------------- NaN never passes
@pytest.mark.parametrize("rtol, atol", [(1e-8, 0.0), (1.0, 1e6), (np.inf, 0.0)])
def test_nan_in_got_never_passes_whatever_the_tolerance(rtol, atol):
    message = _fails(np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]), rtol=rtol, atol=atol)
    assert message == "x contains NaN (first at index 1); expected 2 there"


def test_nan_in_got_is_reported_at_its_first_index():
    got = np.zeros((2, 2))
    got[1, 0] = got[1, 1] = np.nan
    assert _fails(got, np.ones((2, 2))) == "x contains NaN (first at index [1, 0]); expected 1 there"


def test_nan_fails_even_where_nan_is_expected():
    assert "contains NaN" in _fails(np.array([np.nan]), np.array([np.nan]), rtol=1.0, atol=1.0)


def test_a_number_does_not_match_an_expected_nan():
    assert _fails(np.array([0.0, 1.0]), np.array([0.0, np.nan]), rtol=1.0, atol=1.0) == \
        "x is wrong at index 1: expected nan, got 1"


def test_a_nan_scalar_does_not_match_a_finite_one():
    with pytest.raises(CheckFailed):
        assert_close(np.float64(np.nan), 1.0, rtol=1.0, atol=1.0, name="x")
    with pytest.raises(CheckFailed):
        assert_close(float("nan"), np.array(0.0), rtol=1.0, name="x")


def test_a_nan_scalar_never_passes():
    with pytest.raises(CheckFailed):
        assert_close(float("nan"), float("nan"), rtol=1.0, name="x")
    with pytest.raises(CheckFailed):
        assert_close(np.float64(np.nan), np.inf, rtol=1.0, name="x")


def test_nan_scalar_is_reported_as_nan_without_an_index():
    message = _fails(np.float64(np.nan), 1.0)
    assert "contains NaN" in message and "[]" not in message


def test_complex_nan_never_passes():
    assert "contains NaN" in _fails(np.array([complex(1.0, np.nan)]), np.array([1.0 + 0j]), rtol=1.0)


# --------------------------------------------------------------------------- infinities
@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")
def test_infinities_match_exactly_with_their_sign():
    assert_close(np.array([np.inf, -np.inf, 1.0]), np.array([np.inf, -np.inf, 1.0]), rtol=1e-8, name="x")
    assert _fails(np.array([-np.inf]), np.array([np.inf]), rtol=1e6) == "x is wrong at index 0: expected inf, got -inf"
    # a huge finite number is not infinity, whatever the tolerance
    assert _fails(np.array([1e308]), np.array([np.inf]), rtol=1e6, atol=np.inf) == \
        "x is wrong at index 0: expected inf, got 1e+308"


def test_an_infinite_scalar_answer_to_a_finite_expectation_fails():
    with pytest.raises(CheckFailed):
        assert_close(np.inf, 1.0, rtol=1e6, name="x")


def test_an_expected_infinite_scalar_must_be_matched_exactly():
    with pytest.raises(CheckFailed):
        assert_close(1.0, np.inf, rtol=1e-8, name="f*(u)")
    with pytest.raises(CheckFailed):
        assert_close(-np.inf, np.inf, rtol=1e-8, name="f*(u)")


def test_an_infinite_answer_to_a_finite_expectation_fails():
    assert _fails(np.array([np.inf, 1.0]), np.array([1.0, 1.0]), rtol=1e6) == \
        "x is wrong at index 0: expected 1, got inf"
    with pytest.raises(CheckFailed):
        assert_close(np.array([-np.inf]), np.array([0.0]), rtol=0.0, atol=np.inf, name="x")


@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")
def test_infinite_entries_do_not_count_in_the_scale_of_finite_ones():
    # max|want| over the finite entries is 2, so the tolerance is 2e-8, not inf
    assert_close(np.array([np.inf, 2.0 + 1e-9]), np.array([np.inf, 2.0]), rtol=1e-8, name="x")
    message = _fails(np.array([np.inf, 2.5]), np.array([np.inf, 2.0]), rtol=1e-8)
    assert message.startswith("x is wrong at index 1: expected 2, got 2.5")
    assert "tolerance 2e-08" in message


# --------------------------------------------------------------------------- complex values
def test_complex_values_compare_by_modulus_of_the_difference():
    want = np.array([3 + 4j, 1.0])  # max|want| = 5
    assert_close(want + np.array([0, 4e-9j]), want, rtol=1e-9, name="z")
    message = _fails(np.array([3 + 4j, 1 + 1j]), want, rtol=1e-9, name="z")
    assert message.startswith("z is wrong at index 1: expected 1+0j, got 1+1j (error 1 > tolerance 5e-09")


def test_a_real_answer_to_a_complex_expectation_is_compared_as_complex():
    assert_close(np.array([2.0]), np.array([2.0 + 0j]), rtol=1e-12, name="z")
    assert "expected 2+1j, got 2+0j" in _fails(np.array([2.0]), np.array([2.0 + 1j]), rtol=1e-3, name="z")


# --------------------------------------------------------------------------- booleans
def test_booleans_compare_exactly_and_name_the_index():
    assert_close(np.array([True, False]), np.array([True, False]), rtol=1.0, name="mask")
    assert_close([True, False], np.array([True, False]), rtol=0.0, name="mask")
    assert _fails(np.array([True, True, False]), np.array([True, False, False]), rtol=1.0, name="mask") == \
        "mask is wrong at index 1: expected False, got True"
    assert _fails(np.array([[True], [False]]), np.array([[True], [True]]), name="mask") == \
        "mask is wrong at index [1, 0]: expected True, got False"


def test_booleans_of_the_wrong_shape_fail_on_the_shape():
    assert _fails(np.array([True]), np.array([True, False])) == "x should have shape (2,); got shape (1,)"


def test_a_bool_answer_does_not_match_numbers_other_than_0_and_1():
    # labels ±1: True, True is not (-1, 1), and True is not 3
    with pytest.raises(CheckFailed):
        assert_close(np.array([True, True]), np.array([-1.0, 1.0]), rtol=1e-8, name="y")
    with pytest.raises(CheckFailed):
        assert_close(np.array([True]), np.array([3.0]), rtol=1e-8, name="y")


def test_a_natural_scale_widens_the_tolerance_of_a_small_expected_value():
    """A variance of 1e-6 against a signal of scale 1: a correct value off by rounding of the
    signal's scale passes with scale=1, and a wrong one (off by 1e-7) still fails."""
    assert_close(1e-6 + 3e-16, 1e-6, rtol=1e-10, scale=1.0, name="var")
    with pytest.raises(CheckFailed, match=r"1e-10 × the scale 1"):
        assert_close(1.1e-6, 1e-6, rtol=1e-10, scale=1.0, name="var")
    with pytest.raises(CheckFailed, match=r"max\|expected\| 1e-06"):
        assert_close(1e-6 + 3e-16, 1e-6, rtol=1e-10, name="var")
    assert_close(5.0 + 1e-9, 5.0, rtol=1e-9, scale=1.0, name="x")  # a scale below max|want| changes nothing
