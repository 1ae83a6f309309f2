"""Fixtures of the sandbox tests, which run on both isolating backends: ``bwrap`` in the default
run, ``docker`` in ``scripts/test-slow`` (``_backends.BACKENDS``)."""
from __future__ import annotations

import pytest

from tests.graders.sandbox._backends import BACKENDS, start_worker
from tests.support.docker import docker_engine  # noqa: F401 - the session's engine and image


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request) -> str:
    """The backend of this module's tests (the docker one gets the session's engine and image first)."""
    if request.param == "docker":
        request.getfixturevalue("docker_engine")
    return request.param


@pytest.fixture(scope="module")
def sandbox_worker(backend):
    """A warm worker of the module's backend preloading numpy only (what chapter 6 needs), kept
    for the whole module as a batch keeps one per grading process."""
    worker = start_worker(backend, slot=7)
    yield worker
    worker.stop()
