"""A student's release gives the verdicts the TA's grade gives: for every chapter, the public
self-check as the release runs it (its public checks extracted, the reference frozen at release
time, the ``selfcheck`` profile) and ``geodl grade``'s public part (the grader's own checks, the
real reference) agree check by check on the worked solution, the stub and the wrong variants.
A disagreement names the check and the self-check's message: a "frozen-miss" there is a public
check asking the reference or an oracle about inputs computed from the student's answers
(docs/authoring.md, "What a release holds").

By default the solution, the stub and the first two wrong variants of each exercise are
self-checked; ``slow`` self-checks every wrong variant. The grade's side is the verdicts
``tests/chapters/test_gate.py`` holds the grader to (``tests/chapters/verdicts/chNN.json``: every
check of every subject, graded with the ``grading`` profile), so each subject is graded once
here, by the self-check, in the ``process`` backend as the self-check has it. A wrong variant
only a GPU worker can catch has no recorded verdict on a CPU machine and is left out."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from graders.authoring.frozen import FrozenData
from graders.authoring.frozen_chapter import FROZEN_FILE, RUNTIME_DIR, UNFROZEN, load_frozen_chapter
from graders.authoring.stubs import chapter_sources
from graders.authoring.variants import load_variants, variant_files
from graders.chapters import available_chapters, load_chapter
from graders.grading.client import Worker
from graders.grading.engine import grade
from graders.grading.result import SubmissionResult
from graders.grading.settings import get_profile
from graders.grading.submission import Submission
from graders.sandbox import WorkerOptions, get_sandbox

VERDICTS = Path(__file__).resolve().parents[2] / "chapters" / "verdicts"


def _public_verdicts(result: SubmissionResult) -> dict[str, tuple[str, str]]:
    """``{"ch06.mlp_backprop::book_ex_6_4": (status, message)}`` of the public checks."""
    return {f"{e.id}::{c.name}": (c.status, c.message) for e in result.exercises for c in e.checks
            if c.visibility == "public"}


#: Wrong variants self-checked per exercise by default (the first, by name); ``slow``: all of them.
DEFAULT_VARIANTS_PER_EXERCISE = 2


def _subjects(chapter_id: str, variants_per_exercise: int | None = None):
    """(subject, files, exercises, gpu only) for the solution, the stub and the wrong variants
    (every one, or the first ``variants_per_exercise`` of each exercise by name), each subject
    named as the gate's verdicts name it."""
    chapter = load_chapter(chapter_id)
    for solution, name in ((True, "solution"), (False, "stub")):
        files = {rel: text.encode() for rel, text in chapter_sources(chapter_id, chapter.modules,
                                                                     solution=solution).items()}
        yield name, files, None, False
    taken: dict[str, int] = {}
    for variant in load_variants(chapter):
        taken[variant.exercise_id] = taken.get(variant.exercise_id, 0) + 1
        if variants_per_exercise is None or taken[variant.exercise_id] <= variants_per_exercise:
            yield f"variant:{variant.id}", variant_files(chapter, variant), [variant.exercise_id], variant.gpu


def _recorded_public_statuses(chapter_id: str) -> dict[str, dict[str, str]]:
    """``{subject: {"ch06.mlp_backprop::book_ex_6_4": status}}`` of the public checks, as the gate
    recorded them."""
    chapter = load_chapter(chapter_id)
    public = {f"{e.id}::{c.name}" for e in chapter.exercises.values() for c in e.checks if c.visibility == "public"}
    recorded = json.loads((VERDICTS / f"{chapter_id}.json").read_text())
    return {subject: {f"{exercise}::{check}": status for exercise, checks in exercises.items()
                      for check, (status, _) in checks.items() if f"{exercise}::{check}" in public}
            for subject, exercises in recorded.items()}


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_self_check_gives_the_verdicts_of_the_grade(chapter_id, released):
    _self_check_agrees(chapter_id, released, DEFAULT_VARIANTS_PER_EXERCISE)


@pytest.mark.slow
@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_self_check_gives_the_verdicts_of_the_grade_on_every_variant(chapter_id, released):
    _self_check_agrees(chapter_id, released, None)


def _self_check_agrees(chapter_id: str, released, variants_per_exercise: int | None) -> None:
    runtime = released(chapter_id) / chapter_id / RUNTIME_DIR
    real, frozen = load_chapter(chapter_id), load_frozen_chapter(runtime, chapter_id)
    assert [(e.id, [c.name for c in e.checks]) for e in frozen.exercises.values()] == \
        [(e.id, [c.name for c in e.checks if c.visibility == "public"]) for e in real.exercises.values()]
    recorded, selfcheck = _recorded_public_statuses(chapter_id), get_profile("selfcheck")
    disagreements, clock = [], time.perf_counter()
    with Worker(get_sandbox("process"), options=WorkerOptions(preload=real.preload, packages=real.sandbox_packages),
                slot=12) as worker:
        for subject, files, exercises, gpu_only in _subjects(chapter_id, variants_per_exercise):
            if gpu_only and subject not in recorded:
                continue  # the gate did not run it: this machine has no GPU
            assert subject in recorded, f"the gate recorded no verdicts for {subject}: rerun it with --record-verdicts"
            checked = _public_verdicts(grade(Submission(chapter_id, files), frozen, worker, selfcheck,
                                             exercises=exercises))
            graded = {check: status for check, status in recorded[subject].items()
                      if exercises is None or check.split("::")[0] in exercises}
            assert graded.keys() == checked.keys(), subject
            disagreements += [f"{subject} {check}: grade {graded[check]}, self-check {checked[check][0]} "
                              f"({checked[check][1][:300]})" for check in graded
                              if graded[check] != checked[check][0] and UNFROZEN not in checked[check][1]]
    print(f"{chapter_id}: self-checked in {time.perf_counter() - clock:.1f} s")
    unfrozen = FrozenData.from_bytes((runtime / FROZEN_FILE).read_bytes()).unfrozen
    assert not unfrozen and not disagreements, (
        f"{len(unfrozen)} public checks are not in the self-check (the release could not record them):\n"
        + "".join(f"  {name}: {why[:300]}\n" for name, why in unfrozen.items())
        + f"{len(disagreements)} other verdicts differ:\n" + "".join(f"  {line}\n" for line in disagreements))
