"""The grader gate of every chapter (``geodl validate chNN``): the worked solution scores full
marks, the untouched stub scores zero, every wrong variant loses points on its exercise (and a
public check catches it), every exercise has variants, every check fails each degenerate
implementation, every correct alternative scores full marks, and grading is deterministic. And
every verdict the gate's gradings give, check by check, is the one recorded in
``verdicts/chNN.json``: a change to a grader or to the engine that changes a verdict shows here
(regenerate the file with ``--record-verdicts`` only when the change is meant to)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders.authoring.validate import HIDDEN_ONLY, validate
from graders.chapters import available_chapters
from graders.grading.client import Worker
from graders.grading.result import SubmissionResult
from graders.grading.settings import get_profile
from graders.sandbox import default_backend, get_sandbox

VERDICTS = Path(__file__).resolve().parent / "verdicts"


@pytest.fixture(scope="module")
def worker():
    with Worker(get_sandbox(default_backend()), slot=11) as worker:
        yield worker


def verdict_table(result: SubmissionResult) -> dict:
    """``{exercise: {check: [status, points]}}`` of a result."""
    return {e.id: {c.name: [c.status, c.points] for c in e.checks} for e in result.exercises}


#: Chapters whose gate takes half a minute or more on 2 cores (tens of variants, each trained or
#: integrated): marked slow, so that the default suite stays under 15 minutes; CI runs them
#: (scripts/test-slow), and the default run still self-checks two variants of each of their
#: exercises (tests/graders/authoring/test_student_release.py).
HEAVY_GATES = frozenset({"ch07", "ch08", "ch10", "ch12", "ch13"})


@pytest.mark.parametrize("chapter_id", [pytest.param(c, marks=pytest.mark.slow) if c in HEAVY_GATES else c
                                        for c in available_chapters()])
def test_gate_holds(chapter_id, worker, request):
    verdicts: dict[str, dict] = {}
    rows = validate([chapter_id], worker, get_profile("grading"),
                    on_graded=lambda chapter, subject, result: verdicts.__setitem__(subject, verdict_table(result)))
    failures = [f"{r.gate} {r.subject}: {r.detail}" for r in rows if not r.passed]
    assert not failures, "\n".join(failures)
    gates = {r.gate for r in rows}
    assert gates == {"solution", "stub", "has-variants", "variant", "deterministic", "degenerate", "alternative"}
    hidden_only = [r.subject for r in rows if r.gate == "variant" and HIDDEN_ONLY in r.detail]
    assert not hidden_only, f"wrong variants that only hidden checks catch: {hidden_only}"
    recorded = VERDICTS / f"{chapter_id}.json"
    if request.config.getoption("--record-verdicts"):
        recorded.write_text(json.dumps(verdicts, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    assert recorded.exists(), f"no verdicts recorded for {chapter_id}: run this test once with --record-verdicts"
    changed = [f"{subject} {exercise}::{check}: {want} -> {verdicts.get(subject, {}).get(exercise, {}).get(check)}"
               for subject, exercises in json.loads(recorded.read_text()).items()
               for exercise, checks in exercises.items() for check, want in checks.items()
               if verdicts.get(subject, {}).get(exercise, {}).get(check) != want]
    added = sorted(set(verdicts) - set(json.loads(recorded.read_text())))
    assert not changed and not added, ("verdicts changed:\n"
                                       + "\n".join(changed[:40] + [f"new subject {s}" for s in added]))
