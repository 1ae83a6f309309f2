"""Wrong variants: plausible student bugs that prove the checks bite.

``graders/chapters/chNN/variants/<exercise>/<name>.py`` holds the definitions that a buggy
student would have written (its module docstring names the bug). A variant's submission is the
worked solution with those definitions appended to the exercise's module, so they replace the
correct ones. The grader never imports these files: they are student code, graded like any.
"""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from graders.authoring.stubs import chapter_sources
from graders.grading.spec import Chapter


@dataclasses.dataclass(frozen=True)
class Variant:
    exercise_id: str
    name: str
    description: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.exercise_id}:{self.name}"


def load_variants(chapter: Chapter) -> list[Variant]:
    """Every variant of the chapter, in exercise order then by name."""
    found = []
    for exercise in chapter.exercises.values():
        folder = chapter.variants_dir / exercise.name
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            doc = ast.get_docstring(ast.parse(path.read_text())) or ""
            found.append(Variant(exercise.id, path.stem, doc.split("\n")[0], path))
    return found


def variant_files(chapter: Chapter, variant: Variant) -> dict[str, bytes]:
    """The submission files of a variant: the solution with the variant appended to its module."""
    exercise = chapter.exercises[variant.exercise_id]
    files = chapter_sources(chapter.id, chapter.modules, solution=True)
    files[exercise.module_file] += (f"\n\n# ---- wrong variant {variant.name}: {variant.description}\n"
                                    + variant.path.read_text())
    return {k: v.encode() for k, v in files.items()}
