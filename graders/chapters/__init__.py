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
from typing import TYPE_CHECKING

from graders.errors import ConfigurationError
from graders.grading.spec import Chapter, Exercise

if TYPE_CHECKING:
    from graders.grading.submission import Release

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


def grade_ids(chapter: Chapter) -> dict[tuple[str, str], str]:
    """The nbgrader grade cell id of each check of ``chapter``: ``(exercise id, check name) -> id``.

    A public check's id names it, ``<exercise>__<check>`` (``mlp_backprop__book_ex_6_4``). A
    hidden check's (any visibility but ``public``) names nothing of it, since the student's
    notebook carries its cell: ``<exercise>__hidden_<k>``, ``k`` counting the exercise's hidden
    checks from 1 in the order they are declared (``mlp_backprop__hidden_2``). The released
    notebook (:mod:`graders.authoring.notebooks`) and the gradebook
    (:mod:`graders.batch.gradebook`) both take their ids from here.
    """
    ids: dict[tuple[str, str], str] = {}
    for exercise in chapter.exercises.values():
        hidden = 0
        for check in exercise.checks:
            if check.visibility == "public":
                ids[exercise.id, check.name] = f"{exercise.name}__{check.name}"
            else:
                hidden += 1
                ids[exercise.id, check.name] = f"{exercise.name}__hidden_{hidden}"
    if len(set(ids.values())) < len(ids):
        clash = sorted(i for i in ids.values() if list(ids.values()).count(i) > 1)[0]
        raise ConfigurationError(f"two checks of {chapter.id} get the grade id {clash!r}",
                                 reference="bad-grader-spec", hint="rename the public check named like a hidden id")
    return ids


@functools.lru_cache(maxsize=None)
def load_release(chapter_id: str) -> Release:
    """What the students of ``chapter_id`` received, as grading compares a submission with it
    (:class:`~graders.grading.submission.Release`): the stub of each module in every form it was
    released in (the file :func:`~graders.authoring.release.release_files` writes, the same
    without its header line, the code the released notebook's cell writes), and the provided
    files, the release's ``_``-named ones (the release marks them so: they get no "fill in" line)
    with the copy the notebook writes. Generated from ``geodl_ref`` on first use (about half a
    second: the released notebook is made by nbgrader)."""
    import nbformat

    from graders.authoring.release import release_files
    from graders.authoring.stubs import chapter_sources
    from graders.grading.submission import Release, modules_from_notebook

    chapter = load_chapter(chapter_id)
    released = release_files(chapter_id)
    bare = chapter_sources(chapter_id, chapter.modules, solution=False)
    notebook = released.get(f"{chapter_id}/{chapter_id}.ipynb")
    cells = modules_from_notebook(nbformat.reads(notebook, as_version=4), chapter_id)[0] if notebook else {}

    def forms(rel: str) -> list[str | bytes]:
        return [text for text in (released.get(rel), bare.get(rel), cells.get(rel)) if text is not None]

    modules = [module.replace(".", "/") + ".py" for module in chapter.modules]
    provided = [rel for rel in released if rel.endswith(".py") and rel.rsplit("/", 1)[-1].startswith("_")]
    return Release.of(chapter_id, stubs={rel: forms(rel) for rel in modules},
                      provided={rel: forms(rel) for rel in provided})
