"""All library output goes through :func:`report`, whose destination is swappable (hypothesis's
``reporting.py`` habit): the CLI installs a rich console, tests a list, batch a log file.

>>> lines = []
>>> with with_reporter(lines.append):
...     report("hello")
>>> lines
['hello']
"""
from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

Reporter = Callable[[str], None]


def _default(text: str) -> None:
    sys.stderr.write(text + "\n")


_current: list[Reporter] = [_default]


def report(text: str) -> None:
    """Say ``text`` through the current reporter."""
    _current[-1](text)


@contextlib.contextmanager
def with_reporter(reporter: Reporter) -> Iterator[None]:
    """Send everything reported inside the block to ``reporter``."""
    _current.append(reporter)
    try:
        yield
    finally:
        _current.pop()
