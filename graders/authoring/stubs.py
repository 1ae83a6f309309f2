"""Generating a chapter's student files from ``geodl_ref``: the stub (each solution region
replaced) and the worked solution (markers removed), with ``geodl_ref`` imports rewritten to the
released chapter package.

A region inside a function body becomes ``raise NotImplementedError()`` after a
``# YOUR CODE HERE`` line, as nbgrader's ClearSolutions does; a region at column 0 (module-level
helpers) disappears from the stub.

>>> text = "def f(x):\\n    y = x\\n    ### BEGIN SOLUTION\\n    return 2 * y\\n    ### END SOLUTION\\n"
>>> print(stub_source(text, "ch06"), end="")
def f(x):
    y = x
    # YOUR CODE HERE
    raise NotImplementedError()
>>> print(solution_source(text, "ch06"), end="")
def f(x):
    y = x
    return 2 * y
"""
from __future__ import annotations

import re
from pathlib import Path

from graders.errors import ConfigurationError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
REF_ROOT = Path(__file__).resolve().parents[2] / "geodl_ref"
VALIDATION_MODULE = "_validation.py"

_IMPORT = re.compile(r"^(\s*)(from|import)\s+geodl_ref\.(\w+)")


def regions(text: str) -> list[tuple[int, int, str]]:
    """``(begin line, end line, indent)`` of every solution region (0-based, inclusive)."""
    found, start, indent = [], None, ""
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if stripped == BEGIN:
            if start is not None:
                raise ConfigurationError(f"nested {BEGIN!r} at line {number + 1}", reference="bad-solution-markers")
            start, indent = number, line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if start is None:
                raise ConfigurationError(f"{END!r} without {BEGIN!r} at line {number + 1}",
                                         reference="bad-solution-markers")
            found.append((start, number, indent))
            start = None
    if start is not None:
        raise ConfigurationError(f"{BEGIN!r} at line {start + 1} is never closed", reference="bad-solution-markers")
    return found


def stub_source(text: str, chapter: str) -> str:
    """The student's stub: every region replaced, imports rewritten."""
    lines = text.splitlines()
    out: list[str] = []
    cursor = 0
    for begin, end, indent in regions(text):
        out += lines[cursor:begin]
        if indent:
            out += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
        elif out and out[-1].strip() == "":
            while len(out) > 1 and out[-1].strip() == "" and out[-2].strip() == "":
                out.pop()
        cursor = end + 1
    out += lines[cursor:]
    while out and not out[-1].strip():
        out.pop()
    return rewrite_imports("\n".join(out) + "\n", chapter)


def solution_source(text: str, chapter: str) -> str:
    """The worked solution: marker lines removed, imports rewritten."""
    regions(text)  # validate the markers
    kept = [line for line in text.splitlines() if line.strip() not in (BEGIN, END)]
    return rewrite_imports("\n".join(kept) + "\n", chapter)


def rewrite_imports(text: str, chapter: str) -> str:
    """``geodl_ref._validation`` → ``chNN._validation``, ``geodl_ref.chNN.x`` → ``chNN.x``."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _IMPORT.match(line)
        if match:
            target = match.group(3)
            if target == "_validation":
                line = line.replace("geodl_ref._validation", f"{chapter}._validation", 1)
            elif target == chapter:
                line = line.replace(f"geodl_ref.{chapter}", chapter, 1)
            else:
                raise ConfigurationError(f"line {number} imports geodl_ref.{target}, which the released {chapter} "
                                         "does not ship", reference="unreleasable-import")
        elif "geodl_ref" in line and not line.lstrip().startswith("#"):
            raise ConfigurationError(f"line {number} mentions geodl_ref outside an import: {line.strip()!r}",
                                     reference="unreleasable-import")
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def chapter_sources(chapter_id: str, modules: list[str], *, solution: bool) -> dict[str, str]:
    """``{"ch06/mlp.py": source, ...}`` for the listed modules plus ``_validation.py``."""
    files = {}
    for module in modules:
        rel = module.replace(".", "/") + ".py"
        text = (REF_ROOT / rel).read_text()
        files[rel] = solution_source(text, chapter_id) if solution else stub_source(text, chapter_id)
    validation = (REF_ROOT / VALIDATION_MODULE).read_text()
    files[f"{chapter_id}/{VALIDATION_MODULE}"] = rewrite_imports(validation, chapter_id)
    return files
