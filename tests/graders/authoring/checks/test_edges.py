"""graders/authoring/checks/edges.py: each edge case has the property it is named for."""
from __future__ import annotations

import numpy as np
import pytest

from graders.authoring.checks.edges import (
    SCALES,
    as_columns,
    one_column_far_below,
    overlapping_labels,
    separable_labels,
    with_exact_zeros,
    with_ties,
)


@pytest.mark.parametrize("seed", range(5))
def test_exact_zeros_are_exact_and_the_rest_untouched(seed):
    g = np.random.default_rng(seed)
    A = g.normal(size=(4, 5))
    Z = with_exact_zeros(A, np.random.default_rng(seed), count=3)
    assert int((Z == 0.0).sum()) == 3 and np.count_nonzero(Z != A) == 3 and not np.shares_memory(A, Z)
    with pytest.raises(ValueError, match="count=21"):
        with_exact_zeros(A, g, count=21)


@pytest.mark.parametrize("seed", range(5))
def test_one_column_far_below_underflows_a_globally_stabilised_softmax(seed):
    g = np.random.default_rng(seed)
    Z = one_column_far_below(g.normal(size=(3, 6)), g, gap=1e3)
    column = int(np.argmin(Z.max(axis=0)))
    assert Z.max() - Z[:, column].max() == pytest.approx(1e3)
    with np.errstate(all="ignore"):
        globally = np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0)
    assert np.isnan(globally[:, column]).all()                        # the bug shows here
    per_column = np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
    assert np.allclose(per_column.sum(axis=0), 1.0)


@pytest.mark.parametrize("seed", range(5))
def test_separable_labels_are_separated_and_overlapping_ones_are_not(seed):
    g = np.random.default_rng(seed)
    X, y = separable_labels(g, p=3, N=10, margin=0.5)
    assert X.shape == (3, 10) and set(y.tolist()) == {0.0, 1.0}
    from scipy.optimize import linprog  # a hyperplane by LP, as an oracle
    side = 2 * y - 1
    found = linprog(np.zeros(3), A_ub=-(side[:, None] * X.T), b_ub=-np.ones(10), bounds=[(None, None)] * 3)
    assert found.status == 0
    X, y = overlapping_labels(g, p=3, N=10)
    side = 2 * y - 1
    none = linprog(np.zeros(3), A_ub=-(side[:, None] * X.T), b_ub=-np.ones(10), bounds=[(None, None)] * 3)
    assert none.status == 2                                           # infeasible


def test_columns_ties_and_scales():
    assert as_columns(np.arange(3.0), np.ones(3)).shape == (3, 2)
    T = with_ties(np.arange(6.0), np.random.default_rng(1), count=3)
    assert max(np.sum(T == value) for value in T) == 3 and len(set(T.tolist())) == 4
    assert SCALES == (1e-6, 1.0, 1e6)
    with pytest.raises(ValueError):
        as_columns()
