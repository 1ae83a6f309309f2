"""Writing exercises: the API a grader spec imports, and the instructor's tooling.

A chapter's files import everything they need from here (``docs/authoring.md`` is the guide)::

    from graders.authoring import Array, Exercise, arrays, assert_close

What it exports: the declarations (:class:`Chapter`, :class:`Exercise`, :func:`row` for a table
of checks), the return declarations for ``ctx.call(..., returns=...)`` (:class:`Array`,
:class:`Float`, :class:`Int`, :class:`Bool`, :class:`Tuple`, :class:`List`, :class:`Record`,
:class:`Function`, :class:`Anything`),
the comparisons and conversions of :mod:`.checks` (:func:`assert_close`, :func:`expect`...),
:func:`assume` (the one that works in replayed examples), :func:`oracle` (grader code that
computes a public check's expected values, frozen in a student's release), and the seeded strategies
(:func:`arrays`, :func:`normal`, :func:`uniform`, :func:`distinct_dims`, :func:`seeds`,
:func:`rng`). Numerical building blocks beyond these (finite differences, KKT residuals,
symbolic answers) are in :mod:`.checks`' modules.

The instructor's tooling lives beside it: :mod:`.stubs`, :mod:`.notebooks`, :mod:`.release`
(with :mod:`.extract` and :mod:`.freeze`, which make a release's self-check), :mod:`.build`,
:mod:`.variants`, :mod:`.samples` and :mod:`.validate` (the gate). :mod:`.oracles`,
:mod:`.frozen` and :mod:`.frozen_chapter` run in a student's self-check too.
"""
from graders.authoring.checks import (
    as_array,
    as_bool,
    as_float,
    as_int,
    as_sequence,
    assert_close,
    assume,
    describe,
    expect,
    expit,
    relative_error,
)
from graders.authoring.checks.strategies import arrays, distinct_dims, normal, rng, seeds, uniform
from graders.authoring.oracles import oracle
from graders.grading.returns import Anything, Array, Bool, Float, Function, Int, List, Record, Tensor, Tuple
from graders.grading.spec import Chapter, Exercise, row

__all__ = [
    "Anything", "Array", "Bool", "Chapter", "Exercise", "Float", "Function", "Int", "List", "Record", "Tensor", "Tuple",
    "arrays", "as_array", "as_bool", "as_float", "as_int", "as_sequence", "assert_close", "assume", "describe",
    "distinct_dims", "expect", "expit", "normal", "oracle", "relative_error", "rng", "row", "seeds", "uniform",
]
