"""Generated files (assignments/, solutions/, the bundled sample class) match their sources:
CI fails when anything generated drifts from geodl_ref or the grader specs."""
from __future__ import annotations

from graders.authoring.build import drift
from graders.chapters import available_chapters


def test_generated_files_are_up_to_date():
    stale = drift(available_chapters())
    assert not stale, f"{len(stale)} generated files are out of date (first: {stale[0]}); run: geodl build"
