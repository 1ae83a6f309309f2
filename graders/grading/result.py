"""The result of grading one submission, its JSON form (``"schema": "geodl.result/1"``), and how
it is scored: checks are all-or-nothing, an exercise is the sum of its checks, a submission the
sum of its exercises; an exercise that cannot be imported, or uses a forbidden call, scores zero
with the reason as its message.

The contract (DESIGN.md): top level ``score``, ``max_score``, ``status``, ``exercises[]`` each
with ``id``, ``score``, ``max_score``, ``status``, ``checks[]`` each with ``name``, ``passed``,
``points`` (points earned) and ``message``. Other fields may be added, never renamed.

Statuses
--------
A check's ``status`` is one of :data:`graders.grading.outcomes.STATUSES`. An exercise's is
``passed``, ``partial`` or ``failed`` (by its score), or one of :data:`ONE_REASON`, where a
single reason zeroed all its checks and its ``message`` says it once: ``unchanged stub`` (every
check ran into a function that still raises the stub's ``NotImplementedError``), ``missing``
(its module file is not in the submission), ``error`` (its module could not be imported) or
``forbidden``. A submission's ``status`` says whether grading ran (``graded``; a batch writes
``error`` or ``timeout`` where it did not); what a person reads and filters on is
:func:`submission_status`, one of :data:`STATUS_WORDS`, which it derives from the stored result
(so results stored before these words existed read the same way).
"""
from __future__ import annotations

import copy
import dataclasses
import json
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from graders.grading.spec import CheckSpec, Exercise

SCHEMA = "geodl.result/1"

#: The submission statuses a person reads and filters on (:func:`submission_status`).
STATUS_WORDS: tuple[str, ...] = ("graded", "empty", "unchanged stub", "error", "timed out")

#: Exercise statuses where one reason zeroed every check: the exercise's message says it once,
#: and reports show its checks collapsed (names and points, no message each).
ONE_REASON = frozenset({"unchanged stub", "missing", "error", "forbidden"})

#: Fields that legitimately differ between two runs of the same grading.
VOLATILE_FIELDS = frozenset({"duration_s", "started_at", "finished_at", "worker"})


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """One check of one exercise."""

    name: str
    passed: bool
    points: float                #: points earned
    max_points: float
    status: str                  #: one of graders.grading.outcomes.STATUSES
    message: str = ""            #: what was expected and what came back (empty when passed)
    counterexample: str = ""     #: the shrunk failing call, pasteable (visible checks)
    visibility: str = "public"   #: public | hidden | after_deadline
    description: str = ""
    seed: int | None = None
    duration_s: float = 0.0
    output: str = ""             #: tail of what the student's code printed during the check
    stub: str = ""               #: the function that still raises the stub's NotImplementedError, if that ended it
    repro: str = ""              #: a failed public check's failing case as a Python file (graders.grading.repro)

    def to_json(self) -> dict:
        data = _fields_of(self)  # every field is a str, a number, a bool or None
        if not self.repro:
            del data["repro"]    # only failed public checks have one
        return data

    @classmethod
    def from_json(cls, data: dict) -> "CheckResult":
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


@dataclasses.dataclass(frozen=True)
class ExerciseResult:
    """One exercise: the sum of its checks, or zero with a reason (import error, forbidden call)."""

    id: str
    score: float
    max_score: float
    status: str                  #: passed | partial | failed, or one of ONE_REASON
    checks: tuple[CheckResult, ...] = ()
    message: str = ""
    duration_s: float = 0.0

    def to_json(self) -> dict:
        data = _fields_of(self)
        data["checks"] = [c.to_json() for c in self.checks]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ExerciseResult":
        fields = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        fields["checks"] = tuple(CheckResult.from_json(c) for c in data.get("checks", []))
        return cls(**fields)


@dataclasses.dataclass(frozen=True)
class SubmissionResult:
    """One submission graded against one assignment (a chapter)."""

    assignment: str
    score: float
    max_score: float
    status: str                  #: graded | error | timeout (how people read it: submission_status)
    exercises: tuple[ExerciseResult, ...] = ()
    submission: dict = dataclasses.field(default_factory=dict)   #: path, sha256, student
    grader: dict = dataclasses.field(default_factory=dict)       #: version, spec hash
    settings: dict = dataclasses.field(default_factory=dict)     #: seed, sandbox, hidden...
    message: str = ""
    started_at: str = ""
    duration_s: float = 0.0
    worker: dict = dataclasses.field(default_factory=dict)       #: sandbox, restarts

    def to_json(self) -> dict:
        data = {"schema": SCHEMA, **_fields_of(self)}
        for name in ("submission", "grader", "settings", "worker"):  # the caller's to change, not ours
            data[name] = copy.deepcopy(data[name])
        data["exercises"] = [e.to_json() for e in self.exercises]
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=False)

    @classmethod
    def from_json(cls, data: dict) -> "SubmissionResult":
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema={data.get('schema')!r} is not {SCHEMA!r}")
        fields = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        fields["exercises"] = tuple(ExerciseResult.from_json(e) for e in data.get("exercises", []))
        return cls(**fields)

    def exercise(self, exercise_id: str) -> ExerciseResult:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)


def _fields_of(result) -> dict:
    """A result's fields by name, as they are: each ``to_json`` converts its nested results itself
    (``dataclasses.asdict`` converted every check once per level above it, and deep-copied each
    value: a third of the batch's own CPU time per submission)."""
    return {field.name: getattr(result, field.name) for field in dataclasses.fields(result)}


def stable_view(data: Any) -> Any:
    """``data`` without the fields that vary from run to run (timings), for comparing runs."""
    if isinstance(data, dict):
        return {k: stable_view(v) for k, v in data.items() if k not in VOLATILE_FIELDS}
    if isinstance(data, list):
        return [stable_view(v) for v in data]
    return data


# --------------------------------------------------------------------------- scoring
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
    """The exercise's result from its checks' (a check whose ``depends_on`` did not pass fails,
    :func:`apply_dependencies`)."""
    checks = apply_dependencies(exercise, checks)
    score = sum(c.points for c in checks)
    max_score = sum(c.max_points for c in checks)
    status = "error" if message and score == 0 else exercise_status(score, max_score)
    stubs = unimplemented(checks)
    if status == "failed" and stubs:
        status, message = "unchanged stub", f"still the released stub: fill in {', '.join(stubs)}"
    return ExerciseResult(exercise.id, score, max_score, status, tuple(checks), message, round(duration_s, 4))


def unimplemented(checks: Sequence[CheckResult]) -> list[str]:
    """The stub functions (in the order met) where every check that ran ended in one, else ``[]``
    (a check skipped, or ended by a bug of the grader's, says nothing either way).

    >>> stub = CheckResult("a", False, 0.0, 1.0, "student_error", stub="kron")
    >>> unimplemented([stub, dataclasses.replace(stub, stub="vec"), dataclasses.replace(stub, stub="kron")])
    ['kron', 'vec']
    >>> unimplemented([stub, CheckResult("b", False, 0.0, 1.0, "failed")])
    []
    """
    ran = [c for c in checks if c.status not in ("skipped", "grader_error")]
    if not ran or any(not c.stub for c in ran):
        return []
    return list(dict.fromkeys(c.stub for c in ran))


def apply_dependencies(exercise: Exercise, checks: Sequence[CheckResult]) -> list[CheckResult]:
    """``checks`` with every passed check whose ``depends_on`` did not pass (or did not run)
    failed at zero points, saying which check it waits for."""
    depends = {c.name: c.depends_on for c in exercise.checks if c.depends_on}
    passed = {c.name for c in checks if c.passed}
    out = []
    for check in checks:
        needed = depends.get(check.name)
        if check.passed and needed is not None and needed not in passed:
            check = dataclasses.replace(check, passed=False, points=0.0, status="failed",
                                        message=f"counts only once {needed} passes, and it did not")
        out.append(check)
    return out


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


def submission_status(result: SubmissionResult) -> str:
    """How a person reads the submission's outcome: one of :data:`STATUS_WORDS`.

    ``timed out`` and ``error`` where the grading did not run to its end (stored as ``timeout``
    or ``error``). Where it did, by what the submission held of the student's own work:
    ``empty`` when every exercise's module file is missing, ``unchanged stub`` when every
    exercise is the released stub or missing (at least one the stub), and ``graded`` as soon as
    one exercise holds work of the student's own, whatever it scored (a submission whose
    exercises are mixed, some stubs and some not, is ``graded``: its exercises say which).

    >>> def made(*statuses, status="graded"):
    ...     exercises = tuple(ExerciseResult(f"ch01.e{i}", 0.0, 1.0, s) for i, s in enumerate(statuses))
    ...     return SubmissionResult("ch01", 0.0, float(len(statuses)), status, exercises)
    >>> [submission_status(made("missing", "missing")), submission_status(made("unchanged stub", "missing")),
    ...  submission_status(made("unchanged stub", "failed")), submission_status(made(status="timeout"))]
    ['empty', 'unchanged stub', 'graded', 'timed out']
    """
    if result.status in ("timeout", "timed out"):
        return "timed out"
    if result.status != "graded":
        return result.status if result.status in STATUS_WORDS else "error"
    statuses = {exercise.status for exercise in result.exercises}
    if statuses and statuses <= {"missing"}:
        return "empty"
    if "unchanged stub" in statuses and statuses <= {"missing", "unchanged stub"}:
        return "unchanged stub"
    return "graded"


def total(exercises: Iterable[ExerciseResult]) -> tuple[float, float]:
    """``(score, max_score)`` of a submission."""
    exercises = list(exercises)
    return sum(e.score for e in exercises), sum(e.max_score for e in exercises)
