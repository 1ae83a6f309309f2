"""Student releases, written once per test session (each records its chapter's reference on the
worked solution: a few seconds) and shared by the release tests."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


@pytest.fixture(scope="session")
def released(tmp_path_factory) -> Callable[[str], Path]:
    """``released("ch06")``: the folder ``geodl release ch06 OUT`` wrote (it holds ``ch06/``)."""
    from graders.authoring.release import release

    made: dict[str, Path] = {}

    def make(chapter_id: str) -> Path:
        if chapter_id not in made:
            out = tmp_path_factory.mktemp(f"release-{chapter_id}")
            release(chapter_id, out)
            made[chapter_id] = out
        return made[chapter_id]

    return make
