"""``geodl validate``: the gate that proves every grader.

For every exercise selected: the worked solution scores full marks, the untouched stub scores
zero, every wrong variant loses points on its exercise to at least one check that fails it (a
check that breaks with an internal grader error proves nothing), and grading is deterministic
(the same seed gives the same result, timings aside). An exercise with no wrong variant fails the gate:
nothing would prove that its checks can fail. With ``degenerate`` (the default), every check of
every exercise fails each degenerate implementation (:data:`~graders.authoring.variants.DEGENERATE_KINDS`:
zeros, a constant, the first input, random values of the right shape), unless it ``depends_on``
a check that fails; every correct alternative implementation scores full marks. A wrong variant
that only hidden checks catch holds its gate, and says so: the student's self-check passes it.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Callable, Iterable

from graders.authoring.stubs import chapter_sources
from graders.authoring.variants import DEGENERATE_KINDS, Variant, degenerate_files, load_variants, variant_files
from graders.chapters import find_exercise, load_chapter
from graders.grading.client import Worker
from graders.grading.engine import grade
from graders.grading.result import SubmissionResult, stable_view
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter
from graders.grading.submission import Submission


@dataclasses.dataclass(frozen=True)
class GateRow:
    """One proof obligation and whether it held."""

    subject: str    #: 'ch06.mlp_backprop' or 'ch06.mlp_backprop:dw_transposed'
    gate: str       #: solution | stub | variant | deterministic | has-variants | degenerate | alternative
    passed: bool
    detail: str
    duration_s: float = 0.0


def select(targets: Iterable[str]) -> dict[str, list[str]]:
    """``{"ch06": [exercise ids]}`` for targets like ``ch06`` or ``ch06.mlp_backprop``."""
    chosen: dict[str, list[str]] = {}
    for target in targets:
        if "." in target:
            chapter, exercise = find_exercise(target)
            chosen.setdefault(chapter.id, [])
            if exercise.id not in chosen[chapter.id]:
                chosen[chapter.id].append(exercise.id)
        else:
            chosen[target] = list(load_chapter(target).exercises)
    return chosen


#: Sees each grading the gate makes: the chapter, the subject (``solution``, ``stub`` or
#: ``variant:<exercise id>:<name>``) and its result (the determinism reruns excepted).
OnGraded = Callable[[str, str, SubmissionResult], None]


def validate(targets: Iterable[str], worker: Worker, settings: GradingSettings,
             progress: Callable[[GateRow], None] | None = None, on_graded: OnGraded | None = None, *,
             degenerate: bool = True) -> list[GateRow]:
    """Run the gate for the targets; ``progress`` is called with each row as it is decided,
    ``on_graded`` with each result the gate's verdicts come from; ``degenerate`` adds the
    degenerate and alternative gates."""
    rows: list[GateRow] = []

    def record(row: GateRow) -> None:
        rows.append(row)
        if progress is not None:
            progress(row)

    for chapter_id, exercise_ids in select(targets).items():
        chapter = load_chapter(chapter_id)
        _validate_chapter(chapter, exercise_ids, worker, settings, record, on_graded or (lambda *graded: None))
        if degenerate:
            _validate_degenerate(chapter, exercise_ids, worker, settings, record)
    return rows


def _validate_chapter(chapter: Chapter, exercise_ids: list[str], worker: Worker, settings: GradingSettings,
                      record: Callable[[GateRow], None], on_graded: OnGraded) -> None:
    solution = _files(chapter, solution=True)
    stub = _files(chapter, solution=False)

    clock = time.perf_counter()
    first = grade(Submission(chapter.id, solution), chapter, worker, settings, exercises=exercise_ids)
    on_graded(chapter.id, "solution", first)
    for ex in first.exercises:
        record(GateRow(ex.id, "solution", ex.score == ex.max_score and ex.max_score > 0,
                       f"{ex.score:g}/{ex.max_score:g}{_failures(ex)}", time.perf_counter() - clock))

    clock = time.perf_counter()
    stubbed = grade(Submission(chapter.id, stub), chapter, worker, settings, exercises=exercise_ids)
    on_graded(chapter.id, "stub", stubbed)
    for ex in stubbed.exercises:
        record(GateRow(ex.id, "stub", ex.score == 0, f"{ex.score:g}/{ex.max_score:g}", time.perf_counter() - clock))

    variants = [v for v in load_variants(chapter) if v.exercise_id in exercise_ids]
    for exercise_id in exercise_ids:
        count = sum(v.exercise_id == exercise_id for v in variants)
        record(GateRow(exercise_id, "has-variants", count > 0, f"{count} wrong variants"))

    first_variant_results: dict[str, tuple[Variant, SubmissionResult]] = {}
    cuda = bool(worker.info.get("cuda"))
    for variant in variants:
        if variant.gpu and not cuda:
            record(GateRow(variant.id, "variant", True, "not run: only a GPU worker can catch it; this one has none"))
            continue
        clock = time.perf_counter()
        result = grade(Submission(chapter.id, variant_files(chapter, variant)), chapter, worker, settings,
                       exercises=[variant.exercise_id])
        on_graded(chapter.id, f"variant:{variant.id}", result)
        ex = result.exercises[0]
        caught = [c.name for c in ex.checks if not c.passed and c.status != "grader_error"]
        broken = [c.name for c in ex.checks if c.status == "grader_error"]
        detail = f"{ex.score:g}/{ex.max_score:g}; caught by {', '.join(caught) or 'no check'}"
        if caught and all(c.visibility != "public" for c in ex.checks if c.name in caught):
            detail += f"; {HIDDEN_ONLY} (the student's self-check passes it)"
        if broken:
            detail += f"; grader errors (they prove nothing) in {', '.join(broken)}"
        record(GateRow(variant.id, "variant", ex.score < ex.max_score and bool(caught), detail,
                       time.perf_counter() - clock))
        first_variant_results.setdefault(variant.exercise_id, (variant, result))

    clock = time.perf_counter()
    again = grade(Submission(chapter.id, solution), chapter, worker, settings, exercises=exercise_ids)
    same = stable_view(again.to_json()) == stable_view(first.to_json())
    record(GateRow(f"{chapter.id} solution", "deterministic", same, "identical" if same else _diff(first, again),
                   time.perf_counter() - clock))
    for exercise_id, (variant, result) in first_variant_results.items():
        clock = time.perf_counter()
        rerun = grade(Submission(chapter.id, variant_files(chapter, variant)), chapter, worker, settings,
                      exercises=[exercise_id])
        same = stable_view(rerun.to_json()) == stable_view(result.to_json())
        record(GateRow(variant.id, "deterministic", same, "identical" if same else _diff(result, rerun),
                       time.perf_counter() - clock))


#: What a wrong variant's detail says when no public check catches it.
HIDDEN_ONLY = "only hidden checks catch it"


def _validate_degenerate(chapter: Chapter, exercise_ids: list[str], worker: Worker, settings: GradingSettings,
                         record: Callable[[GateRow], None]) -> None:
    """The degenerate gate (every check fails each degenerate implementation) and the
    alternative gate (every correct alternative scores full marks)."""
    for exercise_id in exercise_ids:
        for kind in DEGENERATE_KINDS:
            clock = time.perf_counter()
            result = grade(Submission(chapter.id, degenerate_files(chapter, exercise_id, kind)), chapter, worker,
                           settings, exercises=[exercise_id])
            ex = result.exercises[0]
            passing = [c.name for c in ex.checks if c.passed]
            broken = [c.name for c in ex.checks if c.status == "grader_error"]
            detail = f"{ex.score:g}/{ex.max_score:g}"
            if passing:
                detail += f"; passed by {', '.join(passing)} (declare depends_on, or make the check bite)"
            if broken:
                detail += f"; grader errors (they prove nothing) in {', '.join(broken)}"
            record(GateRow(f"{exercise_id}:{kind}", "degenerate", not passing and not broken, detail,
                           time.perf_counter() - clock))
    for variant in (v for v in load_variants(chapter, "alternative") if v.exercise_id in exercise_ids):
        clock = time.perf_counter()
        result = grade(Submission(chapter.id, variant_files(chapter, variant)), chapter, worker, settings,
                       exercises=[variant.exercise_id])
        ex = result.exercises[0]
        record(GateRow(variant.id, "alternative", ex.score == ex.max_score and ex.max_score > 0,
                       f"{ex.score:g}/{ex.max_score:g}{_failures(ex)}", time.perf_counter() - clock))


def _files(chapter: Chapter, *, solution: bool) -> dict[str, bytes]:
    return {k: v.encode() for k, v in chapter_sources(chapter.id, chapter.modules, solution=solution).items()}


def _failures(exercise) -> str:
    failed = [f"{c.name}: {c.message[:160]}" for c in exercise.checks if not c.passed]
    return f"; failed {' | '.join(failed)}" if failed else ""


def _diff(a: SubmissionResult, b: SubmissionResult) -> str:
    """The first check whose stable view differs between two runs."""
    for ea, eb in zip(a.exercises, b.exercises):
        for ca, cb in zip(ea.checks, eb.checks):
            if stable_view(ca.to_json()) != stable_view(cb.to_json()):
                return f"{ea.id}::{ca.name} differs: {ca.status} {ca.message[:80]!r} vs {cb.status} {cb.message[:80]!r}"
    return "results differ"
