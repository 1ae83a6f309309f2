"""Repro files in a student's feedback: each failed public check whose result carries a repro text
(:mod:`graders.grading.repro`) becomes ``repro/<exercise>__<check>.py`` in the student's
feedback folder, with an ``.npz`` of the same name beside it where its larger inputs need one,
and a download link on the feedback page (:func:`repro_link`; the page stays self-contained).

Only public checks have one: a hidden or after-deadline check never gets a file or a link, even
where its result carries a text, so nothing a student receives holds a hidden check's inputs.
The grader never writes a reference solution's answer in a repro text; the check's message,
which the page shows anyway, is all it says of what was expected.
"""
from __future__ import annotations

import base64
import dataclasses
import io
from pathlib import Path
from typing import Iterator

import numpy as np

from graders.grading.repro import repro_filename, split_repro
from graders.grading.result import CheckResult, SubmissionResult

#: The folder the files go to, in a student's feedback folder (and what ``geodl repro`` writes by default).
REPRO_DIR = "repro"


@dataclasses.dataclass(frozen=True)
class ReproLink:
    """What the feedback page shows of a check's repro file: its name, the file itself as a
    ``data:`` URL to download, and the same for its ``.npz`` where it has one."""

    name: str
    href: str
    data_name: str = ""
    data_href: str = ""


@dataclasses.dataclass(frozen=True)
class ReproFile:
    """One check's repro file: its name, its Python source and its larger arrays (for the ``.npz``)."""

    exercise: str
    check: str
    name: str
    source: str
    arrays: dict

    @property
    def data_name(self) -> str:
        """The ``.npz`` beside it, or ``""`` where all its inputs are in the source."""
        return self.name[:-3] + ".npz" if self.arrays else ""

    def write(self, folder: Path) -> list[Path]:
        """Write the file (and its ``.npz``) into ``folder`` (made if absent); the paths written."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / self.name]
        paths[0].write_text(self.source, encoding="utf-8")
        if self.arrays:
            paths.append(folder / self.data_name)
            paths[1].write_bytes(npz_bytes(self.arrays))
        return paths


def has_repro(check: CheckResult) -> bool:
    """Whether a student receives a repro file for ``check``: a failed public check with a text."""
    return bool(check.repro) and check.visibility == "public" and not check.passed


def repro_files(result: SubmissionResult) -> Iterator[ReproFile]:
    """The repro files of a result's failed public checks, in the result's order."""
    for exercise in result.exercises:
        for check in exercise.checks:
            if has_repro(check):
                yield repro_file(exercise.id, check)


def repro_file(exercise_id: str, check: CheckResult) -> ReproFile:
    """The repro file of one check (which :func:`has_repro`)."""
    source, arrays = split_repro(check.repro)
    return ReproFile(exercise_id, check.name, repro_filename(exercise_id, check.name), source, arrays)


def write_repro_files(folder: str | Path, result: SubmissionResult) -> list[Path]:
    """Write ``folder/repro/<exercise>__<check>.py`` (and its ``.npz``) for each failed public
    check of ``result`` that has a repro text; the paths written (none: no folder is made)."""
    written: list[Path] = []
    for file in repro_files(result):
        written += file.write(Path(folder) / REPRO_DIR)
    return written


def repro_link(exercise_id: str, check: CheckResult) -> ReproLink | None:
    """The page's download link of a check's repro file, or None where it has none."""
    if not has_repro(check):
        return None
    file = repro_file(exercise_id, check)
    href = _data_url("text/x-python", file.source.encode("utf-8"))
    if not file.arrays:
        return ReproLink(file.name, href)
    return ReproLink(file.name, href, file.data_name, _data_url("application/octet-stream", npz_bytes(file.arrays)))


def npz_bytes(arrays: dict) -> bytes:
    """The ``.npz`` of ``arrays`` (what ``np.load`` reads; no pickles)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
