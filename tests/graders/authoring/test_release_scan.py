"""The scan that proves a student's release holds no answers: over every chapter's release
(``geodl release chNN OUT``: stubs, notebook, README, the self-check and its runtime ``.geodl``,
the frozen data included), no reference function body, no line of a solution region, and no
hidden check's name or description appears in any file."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graders.authoring.stubs import REF_ROOT
from graders.chapters import available_chapters, load_chapter

#: A solution line shorter than this (``return x``, ``n = len(X)``) proves nothing when found.
DISTINCTIVE_CHARS = 30


def _release_texts(folder: Path) -> dict[str, str]:
    """Every file of a release, as text (a binary file's strings, such as frozen.msgpack's, are UTF-8 in it)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes().decode("utf-8", "replace")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _normal_body(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    body = func.body[1:] if ast.get_docstring(func) is not None else func.body
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def _reference_solutions(chapter_id: str) -> tuple[dict[str, str], set[str]]:
    """The normalised bodies of the chapter's reference functions that hold a solution region,
    by name, and the distinctive lines of its solution regions (long, not a comment, and not also
    a line of the file outside them, which the stub keeps)."""
    bodies, lines = {}, set()
    for path in sorted((REF_ROOT / chapter_id).glob("*.py")):
        source = path.read_text()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            segment = ast.get_source_segment(source, node) if isinstance(node, ast.FunctionDef) else None
            if isinstance(node, ast.FunctionDef) and "### BEGIN SOLUTION" in (segment or ""):
                bodies[f"{path.stem}.{node.name}"] = _normal_body(node)
        regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, flags=re.S)
        outside = {line.strip() for line in re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", source,
                                                   flags=re.S).splitlines()}
        lines |= {line.strip() for region in regions for line in region.splitlines()
                  if len(line.strip()) >= DISTINCTIVE_CHARS and not line.strip().startswith("#")} - outside
    return bodies, lines


def _released_bodies(texts: dict[str, str]) -> dict[str, set[str]]:
    """The normalised body of every function in the release's Python files, by file."""
    found: dict[str, set[str]] = {}
    for rel, text in texts.items():
        if rel.endswith(".py"):
            found[rel] = {_normal_body(n) for n in ast.walk(ast.parse(text))
                          if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return found


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_a_release_holds_no_answer(chapter_id, released):
    texts = _release_texts(released(chapter_id))
    assert any(rel.startswith(f"{chapter_id}/.geodl/") for rel in texts), "the release has no self-check runtime"
    bodies, lines = _reference_solutions(chapter_id)
    assert bodies and lines, f"no solution region found in geodl_ref/{chapter_id}"
    leaks = []
    for rel, found in _released_bodies(texts).items():
        leaks += [f"{rel}: the body of the reference's {name}" for name, body in bodies.items() if body in found]
    for rel, text in texts.items():
        leaks += [f"{rel}: the solution line {line!r}" for line in lines if line in text]
    chapter = load_chapter(chapter_id)
    hidden = [(e.id, c) for e in chapter.exercises.values() for c in e.checks if c.visibility != "public"]
    assert hidden, f"{chapter_id} has no hidden check to look for"
    for rel, text in texts.items():
        for exercise_id, check in hidden:
            if re.search(rf"\b{re.escape(check.name)}\b", text):
                leaks.append(f"{rel}: the name of the hidden check {exercise_id}::{check.name}")
            if check.description and check.description in text:
                leaks.append(f"{rel}: the description of the hidden check {exercise_id}::{check.name}")
    assert not leaks, f"{len(leaks)} answers in the release of {chapter_id}:\n" + "\n".join(leaks)


def test_the_scan_finds_a_reference_body_and_a_solution_line():
    bodies, lines = _reference_solutions("ch12")
    leaked = {f"ch12/copy_of_{path.stem}.py": path.read_text() for path in sorted((REF_ROOT / "ch12").glob("*.py"))}
    found = [body for bodies_of_file in _released_bodies(leaked).values() for body in bodies_of_file]
    assert bodies and all(body in found for body in bodies.values())
    assert lines and all(any(line in text for text in leaked.values()) for line in lines)


#: What the runtime of a release must not hold: the answers, the hidden checks, the instructor's tooling.
NOT_IN_RUNTIME = ("geodl_ref/", "graders/chapters/", "graders/batch/", "graders/cli/release.py",
                  *(f"graders/authoring/{name}.py" for name in ("release", "build", "validate", "variants", "stubs",
                                                               "notebooks", "gradescope", "freeze", "extract",
                                                               "readme", "samples")))


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_runtime_holds_the_self_check_and_no_instructor_tooling(chapter_id, released):
    runtime = released(chapter_id) / chapter_id / ".geodl"
    files = sorted(path.relative_to(runtime).as_posix() for path in runtime.rglob("*") if path.is_file())
    assert {"graders/cli/selfcheck.py", "graders/grading/engine.py", "graders/worker/warden.py",
            "graders/sandbox/process.py", "graders/authoring/frozen.py", "graders/authoring/frozen_chapter.py",
            "graders/authoring/oracles.py",
            "graders/report/safe_text.py", "chapter/__init__.py", "frozen.msgpack", "geodl_selfcheck.py"} <= set(files)
    found = [path for path in files if any(path.startswith(bad) or f"/{bad}" in f"/{path}" for bad in NOT_IN_RUNTIME)]
    assert not found, f"the runtime of {chapter_id} holds {found}"
    entry = "geodl_selfcheck.py"  # what the release's test file and notebook import
    assert not [path for path in files if path.endswith(".py") and not path.startswith(("graders/", "chapter/"))
                and path != entry]
