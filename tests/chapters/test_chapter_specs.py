"""A chapter's spec loads without the oracle libraries its checks use (see :mod:`graders.chapters`):
``geodl batch``'s own process, which loads the spec before any grading process starts, then
waits a fraction of a second for it instead of 1 to 6 s (ch03 imported torch, scikit-learn, scipy
and sympy). The oracles still load, on first use, where checks run."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders.chapters import available_chapters

REPO = Path(__file__).resolve().parents[2]
ORACLE_LIBRARIES = ("torch", "sklearn", "scipy", "sympy", "ot", "networkx")

#: what the batch's own process reads of a chapter: its exercises, points and module files, and
#: what its warm workers preload
_LOAD_SPEC = """
import json, sys
from graders.chapters import load_chapter
chapter = load_chapter(sys.argv[1])
summary = {"points": chapter.max_points, "preload": chapter.warm_preload, "gpu": chapter.needs_gpu,
           "files": sorted(e.module_file for e in chapter.exercises.values()),
           "checks": sum(len(e.checks) for e in chapter.exercises.values())}
print(json.dumps({"summary": summary, "oracles": sorted(m for m in sys.argv[2:] if m in sys.modules)}))
"""


def _in_fresh_process(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_a_chapter_spec_loads_without_its_oracle_libraries(chapter_id):
    loaded = _in_fresh_process(_LOAD_SPEC, chapter_id, *ORACLE_LIBRARIES)
    assert loaded["summary"]["points"] > 0 and loaded["summary"]["checks"] > 0
    assert loaded["oracles"] == [], f"loading {chapter_id}'s spec imported {loaded['oracles']}"


def test_the_oracles_load_where_the_checks_run():
    """The other half: preparing to grade (the examples drawn, the plans recorded on the reference)
    runs the oracles, so a grading process has imported them before its first submission."""
    code = """
import json, sys
from graders.chapters import load_chapter
from graders.grading.engine import prepare
from graders.grading.settings import get_profile
prepare(load_chapter(sys.argv[1]), get_profile("grading"))
print(json.dumps({"oracles": sorted(m for m in sys.argv[2:] if m in sys.modules)}))
"""
    assert _in_fresh_process(code, "ch06", "torch")["oracles"] == ["torch"]
