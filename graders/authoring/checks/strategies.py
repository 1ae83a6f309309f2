"""Hypothesis strategies for grader inputs.

Shapes are drawn by hypothesis (so they shrink to the smallest failing size) and kept pairwise
distinct, so that a transposed result can never pass by accident; values come from a numpy
generator seeded by a drawn integer, which keeps generation fast and values generic (no exact
zeros, ties or kinks) while the seed still shrinks.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def distinct_dims(count: int, lo: int = 1, hi: int = 8) -> st.SearchStrategy[tuple[int, ...]]:
    """``count`` pairwise different sizes in ``[lo, hi]``."""
    if hi - lo + 1 < count:
        raise ValueError(f"cannot draw {count} distinct sizes from [{lo}, {hi}]")
    return st.lists(st.integers(lo, hi), min_size=count, max_size=count, unique=True).map(tuple)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(0, 2**32 - 1)


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)
