"""Headless Chromium for tests that look at a page: a screenshot, the DOM after load, and how wide a
page's content is on a narrow screen.

Debian's ``chromium`` (``scripts/install`` installs it) runs headless, as root too, with a fresh
profile per call and nothing fetched from the network. A test that calls these without Chromium
installed is skipped, saying so in one line.

Chromium's smallest window is 500 px wide. A narrower viewport (a 420 px phone) is made by
showing the page in an ``<iframe>`` of that width inside a small harness page: the page's media
queries then see the iframe's width, and :func:`screenshot` crops the picture to it.

API::

    screenshot(url, path, width=1280, height=900) -> Path   # a PNG of the viewport
    dom(url, width=1280, height=900) -> str                  # chromium --dump-dom
    scroll_width(url, width) -> int                          # content width in a viewport that wide

``url`` is a ``file://`` URL or ``http://127.0.0.1:PORT/...`` (:func:`scroll_width`, and
:func:`dom` below 500 px, read the framed page's DOM, which Chromium allows for ``file://`` URLs
only).
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

#: Chromium's smallest window width (CSS px): narrower viewports are made with an iframe.
MIN_WINDOW_WIDTH = 500
#: How long one Chromium run may take.
TIMEOUT_S = 60
#: Chromium's flags for a quiet, private, headless run (root needs --no-sandbox).
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--allow-file-access-from-files")

_HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html, body {{ margin: 0; padding: 0; background: #fff; }}
iframe {{ border: 0; display: block; }}</style></head>
<body><iframe id="page" src="{src}" style="width: {width}px; height: {height}px"></iframe>
{script}</body></html>
"""
_MEASURE = """<script>
window.addEventListener("load", function () {
  var framed = document.getElementById("page").contentDocument.documentElement;
  var dumped = framed.outerHTML, measured = framed.scrollWidth;
  document.open();
  document.write('<pre id="scroll-width">' + measured + '</pre><pre id="dom"></pre>');
  document.close();
  document.getElementById("dom").textContent = dumped;
});
</script>"""


def chromium() -> str:
    """The Chromium executable; skips the calling test, saying why, where there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed (scripts/install installs Debian's chromium package)")


def screenshot(url: str, path: Path, width: int = 1280, height: int = 900) -> Path:
    """A PNG of the page at ``url`` in a ``width`` × ``height`` viewport, written to ``path``.

    Parameters
    ----------
    url : str
        ``file://`` or ``http://127.0.0.1:PORT/...``.
    path : Path
        Where the PNG goes (its folder is created).
    width, height : int
        The viewport in CSS px; under :data:`MIN_WINDOW_WIDTH` the page is framed and cropped.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geodl-chromium-") as scratch:
        target = url
        if width < MIN_WINDOW_WIDTH:
            target = _harness(Path(scratch), url, width, height, script="")
        _run(scratch, f"--screenshot={path}", f"--window-size={max(width, MIN_WINDOW_WIDTH)},{height}", target)
    if not path.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {url} to {path}")
    if width < MIN_WINDOW_WIDTH:
        from PIL import Image
        with Image.open(path) as image:
            image.crop((0, 0, width, image.height)).save(path)
    return path


def dom(url: str, width: int = 1280, height: int = 900) -> str:
    """The page's DOM after it loaded (``chromium --dump-dom``), in a ``width`` px viewport."""
    if width >= MIN_WINDOW_WIDTH:
        with tempfile.TemporaryDirectory(prefix="geodl-chromium-") as scratch:
            return _run(scratch, "--dump-dom", f"--window-size={width},{height}", url)
    return _framed(url, width, height)[1]


def scroll_width(url: str, width: int, height: int = 900) -> int:
    """How wide the page's content is (``document.documentElement.scrollWidth``, CSS px) in a
    viewport ``width`` px wide: at most ``width`` where nothing runs off the side."""
    return _framed(url, width, height)[0]


def _framed(url: str, width: int, height: int) -> tuple[int, str]:
    """``(scroll width, DOM)`` of the page shown in a ``width`` px iframe (``file://`` only)."""
    if not url.startswith("file://"):
        raise ValueError(f"url={url!r}: a framed page's DOM can be read for file:// URLs only")
    with tempfile.TemporaryDirectory(prefix="geodl-chromium-") as scratch:
        harness = _harness(Path(scratch), url, width, height, script=_MEASURE)
        out = _run(scratch, "--dump-dom", f"--window-size={max(width, MIN_WINDOW_WIDTH)},{height}", harness)
    measured = re.search(r'<pre id="scroll-width">(\d+)</pre>', out)
    dumped = re.search(r'<pre id="dom">(.*)</pre>', out, re.S)
    if measured is None or dumped is None:
        raise RuntimeError(f"chromium did not render {url} in its frame: {out[:300]!r}")
    return int(measured.group(1)), html.unescape(dumped.group(1))


def _harness(folder: Path, url: str, width: int, height: int, *, script: str) -> str:
    page = folder / "harness.html"
    page.write_text(_HARNESS.format(src=html.escape(url), width=width, height=height, script=script),
                    encoding="utf-8")
    return page.as_uri()


def _run(scratch: str, *args: str) -> str:
    """Run Chromium once with a fresh profile in ``scratch``; its stdout."""
    command = [chromium(), *FLAGS, f"--user-data-dir={scratch}/profile", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited with status {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout
