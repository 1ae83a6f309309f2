"""An exercise whose reference module says "numpy only" forbids the other numerical libraries,
so that torch's autograd or scipy's solvers cannot stand in for the student's numpy (issue 22:
torch autograd in a module whose docstring says "numpy only" got full marks)."""
from __future__ import annotations

import importlib

import pytest

from graders.chapters import available_chapters, load_chapter

#: What "numpy only" rules out: every numerical library the sandbox may hold besides numpy.
OTHER_LIBRARIES = ("torch", "scipy", "sympy")


def numpy_only_exercises() -> list:
    found = []
    for chapter_id in available_chapters():
        for exercise in load_chapter(chapter_id).exercises.values():
            doc = importlib.import_module(exercise.reference_name).__doc__ or ""
            if "numpy only" in " ".join(doc.split()).lower():
                found.append(exercise)
    return found


def test_some_exercises_say_numpy_only():
    assert len(numpy_only_exercises()) >= 5


@pytest.mark.parametrize("exercise", numpy_only_exercises(), ids=lambda e: e.id)
def test_numpy_only_forbids_the_other_libraries(exercise):
    allowed = [lib for lib in OTHER_LIBRARIES if lib not in exercise.forbidden]
    assert not allowed, f"{exercise.id} says numpy only but allows {', '.join(allowed)}"
