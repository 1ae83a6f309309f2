"""Releases: the files a student receives for a chapter (stubs, the shipped validation helpers,
the public self-check) or, with ``solution=True``, the worked solution as a submission folder.

``assignments/`` in the repository is the student release of every chapter; ``geodl build``
regenerates it, and a test fails when it drifts from ``geodl_ref``.
"""
from __future__ import annotations

from pathlib import Path

from graders.authoring.stubs import chapter_sources
from graders.chapters import load_chapter

SELF_CHECK = '''"""Public self-check of {chapter}: {title}.

Run ``pytest {chapter}`` in the folder that holds {chapter}/ (or ``geodl check {chapter}``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("{chapter}", __file__, globals())
'''

HEADER = "# {chapter}/{name}: generated from geodl_ref by `geodl build`.{hint}\n"


def release_files(chapter_id: str, *, solution: bool = False) -> dict[str, str]:
    """``{"ch06/mlp.py": text, ...}``: what :func:`release` writes."""
    chapter = load_chapter(chapter_id)
    files = {}
    hint = "" if solution else " Fill in the code marked YOUR CODE HERE."
    for rel, text in chapter_sources(chapter_id, chapter.modules, solution=solution).items():
        name = rel.split("/", 1)[1]
        files[rel] = HEADER.format(chapter=chapter_id, name=name, hint=hint if not name.startswith("_") else "") + text
    files[f"{chapter_id}/test_{chapter_id}_public.py"] = SELF_CHECK.format(chapter=chapter_id, title=chapter.title)
    from graders.authoring.notebooks import student_notebook_text
    if not solution:
        files[f"{chapter_id}/{chapter_id}.ipynb"] = student_notebook_text(chapter_id)
    return files


def release(chapter_id: str, out: Path, *, solution: bool = False) -> list[Path]:
    """Write the release of ``chapter_id`` under ``out/chNN/``; returns the written paths."""
    written = []
    for rel, text in release_files(chapter_id, solution=solution).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return written
