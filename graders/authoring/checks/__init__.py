"""Numerical building blocks that grader specs reuse: comparisons that never pass NaN or a wrong
shape (:mod:`.numeric`), finite-difference gradients (:mod:`.gradcheck`), input strategies
(:mod:`.strategies`), KKT residuals and PSD tests (:mod:`.kkt`), symbolic equivalence
(:mod:`.symbolic`); and :func:`assume`, hypothesis's ``assume`` for checks whose examples may run
outside hypothesis (:mod:`graders.grading.replay.examples`). Exercise authors import them from
:mod:`graders.authoring`."""
from graders.authoring.checks.numeric import assert_close, assert_equal_shape, expect, expit, relative_error
from graders.grading.outcomes import assume
from graders.grading.returns import as_array, as_bool, as_float, as_int, as_sequence, describe

__all__ = [
    "as_array", "as_bool", "assume", "describe", "as_float", "as_int", "as_sequence", "assert_close",
    "assert_equal_shape", "expect", "expit", "relative_error",
]
