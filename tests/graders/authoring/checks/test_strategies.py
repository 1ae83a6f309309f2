"""``graders.authoring.checks.strategies``: distinct_dims, and arrays(...) with its Case: declared
shapes, pairwise-distinct sizes, the draws, reproducibility from the seed, the continuing rng,
and deepcopy."""
from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from graders.authoring.checks.strategies import Case, arrays, distinct_dims, normal, rng, seeds, uniform

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=40)
FIND = settings(derandomize=True, database=None, deadline=None)


def _find(strategy, condition):
    """The simplest example of ``strategy`` that satisfies ``condition`` (deterministic)."""
    return find(strategy, condition, settings=FIND)


# --------------------------------------------------------------------------- distinct_dims
@FAST
@given(st.data())
def test_distinct_dims_are_pairwise_distinct_and_in_range(data):
    lo = data.draw(st.integers(0, 5))
    count = data.draw(st.integers(0, 6))
    hi = data.draw(st.integers(max(lo, lo + count - 1), lo + 10))
    sizes = data.draw(distinct_dims(count, lo, hi))
    assert isinstance(sizes, tuple) and len(sizes) == count
    assert len(set(sizes)) == count
    assert all(lo <= s <= hi for s in sizes)


def test_distinct_dims_can_use_the_whole_range():
    assert sorted(_find(distinct_dims(3, 4, 6), lambda s: True)) == [4, 5, 6]


def test_distinct_dims_shrink_to_small_sizes():
    assert sorted(_find(distinct_dims(3), lambda s: True)) == [1, 2, 3]


@pytest.mark.parametrize("count, lo, hi", [(9, 1, 8), (3, 5, 6), (1, 3, 2)])
def test_distinct_dims_refuses_impossible_requests(count, lo, hi):
    with pytest.raises(ValueError, match=rf"cannot draw {count} distinct sizes from \[{lo}, {hi}\]"):
        distinct_dims(count, lo, hi)


def test_seeds_and_rng():
    assert _find(seeds(), lambda s: s > 2**31) > 2**31
    assert rng(7).normal() == np.random.default_rng(7).normal()


# --------------------------------------------------------------------------- arrays: shapes
@FAST
@given(arrays(A=("m", "n"), B=("n", "p"), x="m", dims=(1, 5)))
def test_shapes_follow_the_names_and_sizes_are_pairwise_distinct(case):
    assert isinstance(case, Case)
    assert case.A.shape == (case.m, case.n)
    assert case.B.shape == (case.n, case.p)
    assert case.x.shape == (case.m,)
    assert len({case.m, case.n, case.p}) == 3
    assert all(1 <= s <= 5 for s in (case.m, case.n, case.p))


@FAST
@given(arrays(W=(2, "d"), v=("d*k",), T=("k", 3, "d")))
def test_int_sizes_and_products(case):
    assert case.W.shape == (2, case.d)
    assert case.v.shape == (case.d * case.k,)
    assert case.T.shape == (case.k, 3, case.d)
    assert case.d != case.k


def test_arrays_shrink_to_the_smallest_sizes():
    case = _find(arrays(A=("m", "n")), lambda c: True)
    assert {case.m, case.n} == {1, 2}
    assert case.seed == 0


def test_arrays_of_no_named_dimension():
    case = _find(arrays(c=(2, 3)), lambda c: True)
    assert case.c.shape == (2, 3)
    np.testing.assert_array_equal(case.c, np.random.default_rng(case.seed).normal(size=(2, 3)))


def test_the_repr_of_a_case_without_sizes():
    assert repr(_find(arrays(c=(2, 3)), lambda c: True)) == "Case(seed=0)"


@FAST
@given(arrays(X=("n", "d"), y="n", dims={"n": (5, 7), "d": (2, 3)}))
def test_per_dimension_ranges(case):
    assert 5 <= case.n <= 7 and 2 <= case.d <= 3
    assert case.X.shape == (case.n, case.d) and case.y.shape == (case.n,)


@FAST
@given(arrays(a="p", b="q", dims={"p": (2, 3), "q": (2, 3)}))
def test_per_dimension_ranges_still_give_distinct_sizes(case):
    assert {case.p, case.q} == {2, 3}


def test_per_dimension_ranges_must_name_every_dimension_and_no_other():
    with pytest.raises(ValueError, match=r"dims should give a range for each of m, n; it differs on \['n'\]"):
        arrays(A=("m", "n"), dims={"m": (1, 3)})
    with pytest.raises(ValueError, match=r"it differs on \['z'\]"):
        arrays(A=("m",), dims={"m": (1, 3), "z": (1, 3)})


def test_too_many_names_for_the_range_is_refused_when_declared():
    with pytest.raises(ValueError, match="cannot draw 3 distinct sizes"):
        arrays(A=("m", "n", "p"), dims=(1, 2))


# --------------------------------------------------------------------------- arrays: values
@FAST
@given(arrays(A=("m", "n"), b=uniform(-2.0, -1.0, "n"), c=normal("m", loc=10.0, scale=0.5)))
def test_values_are_reproducible_from_the_seed_in_keyword_order(case):
    g = np.random.default_rng(case.seed)
    np.testing.assert_array_equal(case.A, g.normal(size=(case.m, case.n)))
    np.testing.assert_array_equal(case.b, g.uniform(-2.0, -1.0, size=case.n))
    np.testing.assert_array_equal(case.c, g.normal(10.0, 0.5, size=case.m))
    assert np.all((-2.0 <= case.b) & (case.b < -1.0))


def test_keyword_order_decides_the_draws():
    ab = _find(arrays(a=(4,), b=(4,)), lambda c: c.seed > 4)
    ba = _find(arrays(b=(4,), a=(4,)), lambda c: c.seed > 4)
    assert ab.seed == ba.seed == 5
    np.testing.assert_array_equal(ab.a, ba.b)
    np.testing.assert_array_equal(ab.b, ba.a)


def test_entries_are_standard_normal_by_default():
    case = _find(arrays(z=(20000,)), lambda c: True)
    assert abs(case.z.mean()) < 0.05 and abs(case.z.std() - 1.0) < 0.05
    assert case.z.dtype == np.float64


def test_normal_and_uniform_draws():
    case = _find(arrays(n=normal(20000, loc=3.0, scale=0.1), u=uniform(5.0, 6.0, 20000)), lambda c: True)
    assert abs(case.n.mean() - 3.0) < 0.01 and abs(case.n.std() - 0.1) < 0.01
    assert case.u.min() >= 5.0 and case.u.max() < 6.0 and abs(case.u.mean() - 5.5) < 0.02


# --------------------------------------------------------------------------- the rng of a Case
@FAST
@given(arrays(A=("m", "n"), v="n"))
def test_case_rng_continues_after_the_arrays(case):
    g = np.random.default_rng(case.seed)
    g.normal(size=(case.m, case.n))
    g.normal(size=case.n)
    np.testing.assert_array_equal(case.rng.normal(size=5), g.normal(size=5))


def test_case_rng_draws_onward_and_each_copy_starts_after_the_arrays():
    case = _find(arrays(A=("m", "n")), lambda c: c.seed > 0)
    fresh = copy.deepcopy(case)                    # what a check's run gets: its own copy
    a, b = case.rng.normal(size=3), case.rng.normal(size=3)
    assert case.rng is case.rng and not np.array_equal(a, b)
    np.testing.assert_array_equal(fresh.rng.normal(size=3), a)
    g = np.random.default_rng(case.seed)
    g.normal(size=(case.m, case.n))
    np.testing.assert_array_equal(g.normal(size=3), a)


# --------------------------------------------------------------------------- deepcopy
def test_a_case_survives_deepcopy_with_equal_contents():
    case = _find(arrays(A=("m", "n"), x="n"), lambda c: c.seed > 0 and c.m > 1)
    clone = copy.deepcopy(case)
    assert (clone.m, clone.n, clone.seed) == (case.m, case.n, case.seed)
    np.testing.assert_array_equal(clone.A, case.A)
    np.testing.assert_array_equal(clone.x, case.x)
    np.testing.assert_array_equal(clone.rng.normal(size=4), case.rng.normal(size=4))
    assert repr(clone) == repr(case)
    clone.A[0, 0] += 1.0                             # an independent copy
    assert clone.A[0, 0] != case.A[0, 0]


def test_case_repr_lists_the_sizes_and_the_seed():
    case = _find(arrays(A=("m", "n")), lambda c: c.seed > 2)
    assert repr(case) == f"Case(m={case.m}, n={case.n}, seed={case.seed})"
    assert case.seed == 3
