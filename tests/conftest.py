"""Shared fixtures: warm workers on each backend (module-scoped: starting one costs seconds)."""
from __future__ import annotations

import pytest

from graders.grading.client import Worker
from graders.sandbox import WorkerOptions, get_sandbox


def pytest_addoption(parser):
    parser.addoption("--record-verdicts", action="store_true",
                     help="write the gate's verdicts to tests/chapters/verdicts/ instead of only comparing them")


def _worker(backend: str, preload: tuple[str, ...], slot: int):
    sandbox = get_sandbox(backend)
    reason = sandbox.unavailable_reason()
    if reason:
        pytest.skip(f"the {backend} sandbox cannot run here: {reason}")
    worker = Worker(sandbox, options=WorkerOptions(preload=preload), slot=slot)
    worker.start()
    return worker


@pytest.fixture(scope="module")
def bwrap_worker():
    """A bwrap worker preloading numpy only (what chapter 6 needs)."""
    worker = _worker("bwrap", ("numpy",), slot=7)
    yield worker
    worker.stop()


@pytest.fixture(scope="module")
def process_worker():
    worker = _worker("process", ("numpy",), slot=8)
    yield worker
    worker.stop()
