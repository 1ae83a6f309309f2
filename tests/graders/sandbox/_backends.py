"""What the sandbox tests share across backends: the backends, starting a worker of one, and the
processes of a worker's sandbox as the host sees them."""
from __future__ import annotations

import psutil
import pytest

from graders.grading.client import Worker
from graders.sandbox import WorkerOptions, get_sandbox
from tests.support.docker import container_pids

#: The isolating backends: each test that takes ``backend`` (or ``sandbox_worker``) runs once per
#: backend, the docker one marked slow (an engine and an image: ``scripts/test-slow``).
BACKENDS = ["bwrap", pytest.param("docker", marks=pytest.mark.slow)]


def start_worker(backend: str, *, slot: int, preload: tuple[str, ...] = ("numpy",), **options) -> Worker:
    """A started worker of ``backend`` (skips, saying why, where the backend cannot run)."""
    sandbox = get_sandbox(backend)
    reason = sandbox.unavailable_reason()
    if reason:
        pytest.skip(f"the {backend} sandbox cannot run here: {reason}")
    worker = Worker(sandbox, options=WorkerOptions(preload=preload, **options), slot=slot)
    worker.start()
    return worker


def sandbox_pids(worker: Worker) -> set[int]:
    """The host's pids of every process of a worker's sandbox but its entry point: bwrap's
    descendants (the warden and its sessions), or everything in the docker worker's container."""
    if worker.sandbox.name == "docker":
        return container_pids(worker)
    assert worker.process is not None
    return {p.pid for p in psutil.Process(worker.process.popen.pid).children(recursive=True)}
