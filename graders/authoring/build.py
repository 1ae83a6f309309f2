"""Generated files of the repository: ``assignments/chNN/`` (the student release) and
``solutions/chNN/`` (the nbgrader source notebook), both derived from ``geodl_ref`` and the
grader specs. :func:`drift` lists the ones that no longer match their sources."""
from __future__ import annotations

from pathlib import Path

from graders.authoring.release import release_files

REPO_ROOT = Path(__file__).resolve().parents[2]


def generated_files(chapter_id: str) -> dict[Path, str]:
    """Every generated file of a chapter and its content, as paths in the repository: the
    student release, the nbgrader source notebook, and the bundled sample class (if any)."""
    from graders.authoring.notebooks import source_notebook_text
    from graders.authoring.samples import SAMPLE_CLASS, sample_class_files

    files = {REPO_ROOT / "assignments" / rel: text for rel, text in release_files(chapter_id).items()}
    files[REPO_ROOT / "solutions" / chapter_id / f"{chapter_id}.ipynb"] = source_notebook_text(chapter_id)
    if chapter_id in SAMPLE_CLASS:
        files.update({path: data.decode() for path, data in sample_class_files(chapter_id).items()})
    return files


def build(chapters: list[str]) -> list[Path]:
    written = []
    for chapter_id in chapters:
        for path, text in generated_files(chapter_id).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
                written.append(path)
    return written


def drift(chapters: list[str]) -> list[Path]:
    return [path for chapter_id in chapters for path, text in generated_files(chapter_id).items()
            if not path.exists() or path.read_text() != text]
