"""Scoring: checks are all-or-nothing, an exercise is the sum of its checks, a submission the sum
of its exercises. An exercise that cannot be imported, or uses a forbidden call, scores zero
with the reason as its message."""
from __future__ import annotations

from typing import Iterable, Sequence

from graders.result import CheckResult, ExerciseResult
from graders.spec import CheckSpec, Exercise


def exercise_status(score: float, max_score: float) -> str:
    """``passed`` (full marks), ``failed`` (nothing), or ``partial``.

    >>> exercise_status(3, 3), exercise_status(0, 3), exercise_status(1.5, 3)
    ('passed', 'failed', 'partial')
    """
    if max_score > 0 and score >= max_score:
        return "passed"
    return "failed" if score <= 0 else "partial"


def exercise_result(exercise: Exercise, checks: Sequence[CheckResult], *, message: str = "",
                    duration_s: float = 0.0) -> ExerciseResult:
    score = sum(c.points for c in checks)
    max_score = sum(c.max_points for c in checks)
    status = "error" if message and score == 0 else exercise_status(score, max_score)
    return ExerciseResult(exercise.id, score, max_score, status, tuple(checks), message, round(duration_s, 4))


def zeroed(exercise: Exercise, checks: Iterable[CheckSpec], exercise_status_: str, reason: str, *,
           status: str = "failed", duration_s: float = 0.0) -> ExerciseResult:
    """Every check at zero with ``reason``: for missing modules and forbidden calls."""
    rows = tuple(
        CheckResult(name=c.name, passed=False, points=0.0, max_points=c.points, status=status,
                    message=f"not graded: {reason}", visibility=c.visibility, description=c.description)
        for c in checks
    )
    max_score = sum(c.max_points for c in rows)
    return ExerciseResult(exercise.id, 0.0, max_score, exercise_status_, rows, reason, round(duration_s, 4))


def total(exercises: Iterable[ExerciseResult]) -> tuple[float, float]:
    """``(score, max_score)`` of a submission."""
    exercises = list(exercises)
    return sum(e.score for e in exercises), sum(e.max_score for e in exercises)
