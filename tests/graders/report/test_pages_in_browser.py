"""The feedback page and the class summary as headless Chromium shows them: nothing runs off a
420 px phone screen, and the marks are drawn. ``GEODL_SCREENSHOTS=1`` writes the screenshots to
``docs/screenshots/`` (feedback-420.png, feedback-1280.png, summary-1280.png) instead of a
temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from graders.chapters import load_chapter
from graders.report.html import write_reports
from tests.graders.report._kinds import class_rows
from tests.support.browser import screenshot, scroll_width

pytestmark = pytest.mark.slow  # starts a browser, five times

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PHONE = 420
#: The marks' colours (base.html.j2): passed, and failed or timed out.
GREEN, RED = (0x1A, 0x7F, 0x37), (0xCF, 0x22, 0x2E)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """ann's feedback (an exercise of each kind) and the summary of a class with each status word."""
    out = tmp_path_factory.mktemp("report")
    feedback, summary = write_reports(out, "ch01", class_rows(), chapter=load_chapter("ch01"),
                                      generated_at="2026-05-02 10:00")
    return {"feedback": feedback[0], "summary": summary}


@pytest.mark.parametrize("page", ["feedback", "summary"])
def test_nothing_runs_off_a_420_px_screen(pages, page):
    assert scroll_width(pages[page].as_uri(), PHONE) <= PHONE


def test_screenshots_show_the_pages_with_their_marks(pages, tmp_path):
    from PIL import Image
    folder = DOCS if os.environ.get("GEODL_SCREENSHOTS") else tmp_path
    shots = {"feedback-420.png": (pages["feedback"], PHONE, 1950), "feedback-1280.png": (pages["feedback"], 1280, 1500),
             "summary-1280.png": (pages["summary"], 1280, 1900)}
    for name, (page, width, height) in shots.items():
        with Image.open(screenshot(page.as_uri(), folder / name, width, height)) as image:
            assert image.size == (width, height), name
            colours = {colour for _, colour in image.convert("RGB").getcolors(width * height)}
        if name.startswith("feedback"):  # the ✓ and ✗ marks are drawn (inline SVG: no font needed)
            assert any(_near(colour, GREEN) for colour in colours) and any(_near(colour, RED) for colour in colours)


def _near(colour: tuple[int, int, int], target: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))
