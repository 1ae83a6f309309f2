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


class Draw:
    """How one array of :func:`arrays` is drawn: ``shape`` (sizes, dimension names such as
    ``"m"``, or products of them such as ``"m*n"``) and a numpy generator method with its
    arguments (``normal``: ``loc``, ``scale``; ``uniform``: ``low``, ``high``)."""

    def __init__(self, method: str, shape: tuple, **arguments: float):
        self.method, self.shape, self.arguments = method, tuple(shape), arguments

    def names(self) -> list[str]:
        return [name for entry in self.shape if isinstance(entry, str) for name in entry.split("*")]

    def build(self, g: np.random.Generator, sizes: dict[str, int]) -> np.ndarray:
        shape = tuple(entry if isinstance(entry, int) else int(np.prod([sizes[n] for n in entry.split("*")]))
                      for entry in self.shape)
        return getattr(g, self.method)(**self.arguments, size=shape)


def normal(*shape: int | str, loc: float = 0.0, scale: float = 1.0) -> Draw:
    """An array of :func:`arrays` with N(loc, scale²) entries."""
    return Draw("normal", shape, loc=loc, scale=scale)


def uniform(low: float, high: float, *shape: int | str) -> Draw:
    """An array of :func:`arrays` with entries uniform in [low, high)."""
    return Draw("uniform", shape, low=low, high=high)


class Case:
    """One example of :func:`arrays`: its arrays and dimensions as attributes, and its ``seed``.
    :attr:`rng` draws more values, after the arrays."""

    def __init__(self, sizes: dict[str, int], seed: int, arrays: dict[str, np.ndarray], state: dict):
        self.__dict__.update(sizes)
        self.__dict__.update(arrays)
        self.seed = seed
        self._sizes, self._state = sizes, state

    @property
    def rng(self) -> np.random.Generator:
        """The generator that drew the arrays, going on from where they left it: one per case,
        so two draws from it differ (a check gets a fresh copy of its case for every run)."""
        generator = self.__dict__.get("_generator")
        if generator is None:
            generator = self.__dict__["_generator"] = np.random.Generator(np.random.PCG64())
            generator.bit_generator.state = self._state
        return generator

    def __repr__(self) -> str:
        return f"Case({''.join(f'{k}={v}, ' for k, v in self._sizes.items())}seed={self.seed})"


def arrays(*, dims: tuple[int, int] | dict[str, tuple[int, int]] = (1, 8), **shapes: tuple | str | Draw
           ) -> st.SearchStrategy[Case]:
    """Arrays for a check, drawn from a seed: ``arrays(A=("m", "n"), B=("p", "q"), dims=(1, 5))``
    gives a :class:`Case` with ``A`` of shape (m, n) and ``B`` (p, q), the sizes m, n, p, q
    pairwise different (so that a transposed or swapped result cannot pass) and drawn from
    ``dims``, and N(0, 1) entries from ``np.random.default_rng(seed)``, drawn in keyword order.

    A shape's entries are sizes, dimension names, or products of names (``"m*n"``); an array
    given as :func:`normal` or :func:`uniform` is drawn so; a vector's shape may be written as
    one name (``x="d"``). ``dims`` may give each dimension its own range instead
    (``dims={"p": (1, 6), "d": (2, 9)}``); the sizes are still pairwise different. Hypothesis
    draws the sizes and the seed (so a failure shrinks to small sizes), numpy the values (fast,
    and generic: no exact zero, tie or kink)."""
    draws = {name: spec if isinstance(spec, Draw) else normal(*((spec,) if isinstance(spec, (str, int)) else spec))
             for name, spec in shapes.items()}
    names = list(dict.fromkeys(n for draw in draws.values() for n in draw.names()))
    if isinstance(dims, dict):
        unknown = set(names) ^ set(dims)
        if unknown:
            raise ValueError(f"dims should give a range for each of {', '.join(names)}; "
                             f"it differs on {sorted(unknown)}")
        sizes_strategy = st.tuples(*(st.integers(*dims[n]) for n in names)).filter(lambda s: len(set(s)) == len(s))
    else:
        sizes_strategy = distinct_dims(len(names), *dims)

    @st.composite
    def cases(draw: st.DrawFn) -> Case:
        # A composite, not a map: hypothesis then draws exactly what the same primitives drawn by
        # hand would (a map changes its search after the first examples).
        sizes = dict(zip(names, draw(sizes_strategy), strict=True))
        seed = draw(seeds())
        g = rng(seed)
        drawn_arrays = {name: draw_.build(g, sizes) for name, draw_ in draws.items()}
        return Case(sizes, seed, drawn_arrays, dict(g.bit_generator.state))

    return cases()
