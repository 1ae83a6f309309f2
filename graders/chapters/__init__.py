"""The grader specs, one package per chapter: ``graders/chapters/chNN/__init__.py`` defines
``chapter`` (a :class:`graders.grading.spec.Chapter` naming its exercises in order),
``chNN/<name>.py`` declares the exercise ``chNN.<name>`` (its ``exercise``, with its checks), and
``variants/<name>/<variant>.py`` holds its wrong variants. ``docs/authoring.md`` is the guide.

A chapter's modules import the oracle libraries (torch, scikit-learn, scipy's solvers, and sympy
through :mod:`graders.authoring.checks.symbolic`) inside the functions that use them, so that loading a
chapter's spec takes a fraction of a second: ``geodl batch``'s own process needs the spec only
(exercises, points, what the warm workers preload), and it loads it before any grading process
starts. ``tests/chapters/test_chapter_specs.py`` holds every chapter to it."""
from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path

from graders.errors import ConfigurationError
from graders.grading.spec import Chapter, Exercise

PACKAGE_DIR = Path(__file__).resolve().parent


def available_chapters() -> list[str]:
    """Chapter ids that have a grader spec, in order."""
    return sorted(p.name for p in PACKAGE_DIR.iterdir()
                  if re.match(r"^ch\d\d$", p.name) and (p / "__init__.py").exists())


@functools.lru_cache(maxsize=None)
def load_chapter(chapter_id: str) -> Chapter:
    """The spec of ``chapter_id``; ``ConfigurationError`` (with a suggestion) if there is none."""
    if chapter_id not in available_chapters():
        import difflib
        close = difflib.get_close_matches(chapter_id, available_chapters(), n=1)
        hint = f"did you mean {close[0]}?" if close else f"chapters with graders: {', '.join(available_chapters())}"
        raise ConfigurationError(f"there is no grader for assignment {chapter_id!r}", reference="unknown-assignment",
                                 hint=hint)
    package = importlib.import_module(f"graders.chapters.{chapter_id}")
    chapter: Chapter = package.chapter
    chapter.package_dir = PACKAGE_DIR / chapter_id
    for name in chapter.exercise_names:
        module = importlib.import_module(f"graders.chapters.{chapter_id}.{name}")
        exercise = getattr(module, "exercise", None)
        if not isinstance(exercise, Exercise) or exercise.id != f"{chapter_id}.{name}":
            raise ConfigurationError(f"graders/chapters/{chapter_id}/{name}.py should declare "
                                     f"exercise = Exercise(...) for {chapter_id}.{name}", reference="bad-grader-spec")
        chapter.add(exercise)
    return chapter


def find_exercise(exercise_id: str) -> tuple[Chapter, Exercise]:
    """The chapter and exercise of an id like ``ch06.mlp_backprop``."""
    chapter = load_chapter(exercise_id.split(".", 1)[0])
    if exercise_id not in chapter.exercises:
        import difflib
        close = difflib.get_close_matches(exercise_id, chapter.exercises, n=1)
        hint = f"did you mean {close[0]}?" if close else f"{chapter.id} has {', '.join(chapter.exercises)}"
        raise ConfigurationError(f"there is no exercise {exercise_id!r}", reference="unknown-exercise", hint=hint)
    return chapter, chapter.exercises[exercise_id]
