"""Hand-made results for tests that need no grading."""
from __future__ import annotations

from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult


def make_result(assignment: str = "ch06", *, scores: dict[str, list[tuple[str, float, float]]] | None = None,
                sha: str = "abc", seed: int = 0) -> SubmissionResult:
    """A result whose exercises hold the given ``(check, points, max_points)``."""
    scores = scores or {"ch06.mlp_backprop": [("book_ex_6_4", 2.0, 2.0), ("forward_output", 0.0, 1.0)]}
    exercises = []
    for exercise_id, checks in scores.items():
        rows = tuple(CheckResult(name=n, passed=p == m, points=p, max_points=m, status="passed" if p == m else "failed",
                                 message="" if p == m else "wrong") for n, p, m in checks)
        score, max_score = sum(c.points for c in rows), sum(c.max_points for c in rows)
        exercises.append(ExerciseResult(exercise_id, score, max_score, "passed" if score == max_score else "partial",
                                        rows))
    return SubmissionResult(assignment=assignment, score=sum(e.score for e in exercises),
                            max_score=sum(e.max_score for e in exercises), status="graded", exercises=tuple(exercises),
                            submission={"sha256": sha, "path": "/x"}, grader={"version": "0.1.0"},
                            settings={"seed": seed, "include_hidden": True, "sandbox": "process"})
