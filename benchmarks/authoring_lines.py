"""What authoring an exercise costs, in lines: for each exercise of the chapters asked for, the
lines of its grader file and its share of the chapter's helper modules (``__init__.py`` and
``_*.py``, split evenly between the chapter's exercises), split into the checks themselves (the
functions declared with ``.check`` or ``.table``, with their decorators and docstrings) and the
overhead around them (imports, the declaration, wrappers, strategies, helpers, oracles, data).

``boilerplate`` is the part of all that which says nothing about the exercise: import lines, the
exercise's declaration and the chapter's registration, wrappers (helper functions that call the
student's code, ``ctx.call``...), lines converting a returned value by hand (``as_array(``...),
and seed-then-build lines (``rng(seed)``, ``..., seed = case``).

A line counts when it is not blank and not only a comment. Variants are not counted. Any git
revision can be measured, so that the figures before and after a change come from one run.

Usage: .venv/bin/python benchmarks/authoring_lines.py [--rev REV|worktree ...] [--chapters ch01,ch02,ch03,ch04,ch06]
Writes benchmarks/out/authoring_lines.json and prints a table.
"""
from __future__ import annotations

import argparse
import ast
import re
import statistics
import subprocess
from pathlib import Path

from _report import write_report

REPO = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout


def _files(rev: str, chapter: str) -> dict[str, str]:
    """``{file name: text}`` of the chapter's grader package at ``rev`` (``worktree``: as it is on
    disk), variants left out."""
    if rev == "worktree":
        return {path.name: path.read_text() for path in sorted((REPO / "graders" / "chapters" / chapter).glob("*.py"))}
    names = _git("ls-tree", "--name-only", f"{rev}:graders/chapters/{chapter}").split()
    return {name: _git("show", f"{rev}:graders/chapters/{chapter}/{name}") for name in names if name.endswith(".py")}


def _counted(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def _check_lines(text: str) -> set[int]:
    """The 1-based numbers of the lines of the functions declared as checks, their decorators
    (points, strategies, a table's rows and descriptions) included."""
    inside: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("check", "table")
                for d in node.decorator_list):
            first = min(d.lineno for d in node.decorator_list)
            inside.update(range(first, (node.end_lineno or node.lineno) + 1))
    return inside


_CONVERSIONS = ("as_array(", "as_sequence(", "as_float(", "as_int(", "as_bool(")
_SEED_THEN_BUILD = re.compile(r"rng\(seed\b|rng\(case|, seed = |seed = case")


def _boilerplate_lines(text: str) -> set[int]:
    """The 1-based numbers of the lines that say nothing about the exercise (see the module)."""
    tree = ast.parse(text)
    found: set[int] = set()
    for node in tree.body:
        span = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= span
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and (
                ast.unparse(node.value.func) in ("Exercise", "Chapter", "chapter.exercise")):
            found |= span
        elif isinstance(node, ast.FunctionDef) and not node.decorator_list and "ctx." in ast.unparse(node):
            found |= span  # a wrapper of the student's code
    for number, line in enumerate(text.splitlines(), start=1):
        if any(c in line for c in _CONVERSIONS) or _SEED_THEN_BUILD.search(line):
            found.add(number)
    return found


def measure(rev: str, chapter: str) -> dict[str, dict[str, float]]:
    """Per exercise of ``chapter`` at ``rev``: ``checks``, ``overhead``, ``total`` and
    ``boilerplate`` lines."""
    files = _files(rev, chapter)
    helpers = {n: t for n, t in files.items() if n == "__init__.py" or n.startswith("_")}
    exercises = {n[:-3]: t for n, t in files.items() if n not in helpers}
    share = max(1, len(exercises))
    shared = sum(_counted(t.splitlines()) for t in helpers.values()) / share
    shared_boilerplate = sum(_counted([line for number, line in enumerate(t.splitlines(), start=1)
                                       if number in _boilerplate_lines(t)]) for t in helpers.values()) / share
    figures = {}
    for name, text in exercises.items():
        lines = text.splitlines()
        inside, boiler = _check_lines(text), _boilerplate_lines(text)
        checks = _counted([line for number, line in enumerate(lines, start=1) if number in inside])
        overhead = _counted([line for number, line in enumerate(lines, start=1) if number not in inside]) + shared
        boilerplate = _counted([line for number, line in enumerate(lines, start=1) if number in boiler])
        figures[f"{chapter}.{name}"] = {"checks": checks, "overhead": round(overhead, 1),
                                        "total": round(checks + overhead, 1),
                                        "boilerplate": round(boilerplate + shared_boilerplate, 1)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", action="append", help="git revisions to measure (default: HEAD)")
    parser.add_argument("--chapters", default="ch01,ch02,ch03,ch04,ch06")
    args = parser.parse_args()
    report: dict[str, dict] = {}
    for rev in args.rev or ["HEAD"]:
        per_exercise: dict[str, dict] = {}
        for chapter in args.chapters.split(","):
            per_exercise.update(measure(rev, chapter))
        report[rev] = {
            "exercises": per_exercise,
            "mean": {key: round(statistics.mean(e[key] for e in per_exercise.values()), 1)
                     for key in ("checks", "overhead", "total", "boilerplate")},
        }
    write_report("authoring_lines", report)


if __name__ == "__main__":
    main()
