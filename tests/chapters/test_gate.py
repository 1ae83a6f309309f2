"""The grader gate of every chapter (``geodl validate chNN``): the worked solution scores full
marks, the untouched stub scores zero, every wrong variant loses points on its exercise, every
exercise has variants, and grading is deterministic."""
from __future__ import annotations

import pytest

from graders.authoring.validate import validate
from graders.chapters import available_chapters
from graders.grading.client import Worker
from graders.grading.settings import get_profile
from graders.sandbox import default_backend, get_sandbox


@pytest.fixture(scope="module")
def worker():
    with Worker(get_sandbox(default_backend()), slot=11) as worker:
        yield worker


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_gate_holds(chapter_id, worker):
    rows = validate([chapter_id], worker, get_profile("grading"))
    failures = [f"{r.gate} {r.subject}: {r.detail}" for r in rows if not r.passed]
    assert not failures, "\n".join(failures)
    gates = {r.gate for r in rows}
    assert gates == {"solution", "stub", "has-variants", "variant", "deterministic"}
