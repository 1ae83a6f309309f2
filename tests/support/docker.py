"""A Docker engine and the worker image for the tests, got the way a TA gets them: the
repository's ``scripts/docker-engine start`` (an engine that answers, or a private ``dockerd``)
and ``scripts/build-worker-image`` (the image, built offline or reused from its cache), once per
test session. Where either cannot be had, the tests that need them skip with one line saying why.

An engine this module started is stopped when the session ends (``scripts/docker-engine stop``);
one that answered already is left as it was. The fixture :func:`docker_engine` is imported by the
conftest of the tests that use it; :func:`container_pids` lists a docker worker's processes."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENGINE_SCRIPT = REPO / "scripts" / "docker-engine"
BUILD_SCRIPT = REPO / "scripts" / "build-worker-image"
#: How long building the image from nothing may take here (debootstrap, torch's wheel: ~3 min on 2 cores).
BUILD_TIMEOUT_S = 1800


@dataclasses.dataclass
class DockerSetup:
    """The engine (its ``DOCKER_HOST``) and the image the tests run, and what getting them took."""

    host: str
    image: str
    started_engine: bool  #: whether this session started the engine (and so stops it)
    engine_s: float
    image_s: float


def _script(script: Path, *args: str, timeout_s: float) -> tuple[int, str, str]:
    try:
        done = subprocess.run([str(script), *args], capture_output=True, text=True, timeout=timeout_s, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, "", f"{script.name} {' '.join(args)}: {exc}"
    return done.returncode, done.stdout, done.stderr


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _value(stdout: str, name: str) -> str | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    return None


def get_engine_and_image() -> DockerSetup | str:
    """Start (or find) the engine and build (or reuse) the CPU image; a :class:`DockerSetup`, or
    one line saying why there is none. Sets ``DOCKER_HOST`` for this process."""
    clock = time.perf_counter()
    answered, _, _ = _script(ENGINE_SCRIPT, "status", timeout_s=60)
    code, out, err = _script(ENGINE_SCRIPT, "start", timeout_s=180)
    host = _value(out, "DOCKER_HOST")
    if code != 0 or host is None:
        return f"no Docker engine could be started here: {_last(err) or 'scripts/docker-engine start failed'}"
    os.environ["DOCKER_HOST"] = host
    engine_s = time.perf_counter() - clock
    clock = time.perf_counter()
    code, out, err = _script(BUILD_SCRIPT, timeout_s=BUILD_TIMEOUT_S)
    image = _value(out, "GEODL_DOCKER_IMAGE")
    setup = DockerSetup(host, image or "", started_engine=answered != 0, engine_s=engine_s,
                        image_s=time.perf_counter() - clock)
    if code != 0 or image is None:
        stop_engine(setup)
        return f"the worker image could not be built here: {_last(err) or 'scripts/build-worker-image failed'}"
    from graders.sandbox import docker
    docker.find_engine.cache_clear()
    docker.image_labels.cache_clear()
    return setup


def stop_engine(setup: DockerSetup) -> None:
    """Stop the engine if this session started it."""
    if setup.started_engine:
        _script(ENGINE_SCRIPT, "stop", timeout_s=120)


@pytest.fixture(scope="session")
def docker_engine():
    """The engine and image, for the whole session (skips with the reason where there are none)."""
    setup = get_engine_and_image()
    if isinstance(setup, str):
        pytest.skip(setup)
    yield setup
    stop_engine(setup)


def container_of(worker) -> str:
    """The name of a docker worker's container."""
    return worker.process.container


def container_pids(worker) -> set[int]:
    """The host's pids of every process in a docker worker's container (none once it is gone)."""
    engine = worker.process.engine
    listing = engine.run("top", container_of(worker), "-eo", "pid", timeout_s=30)
    if listing.returncode != 0:
        return set()
    return {int(word) for word in listing.stdout.decode().split() if word.isdigit()}


def containers_of_this_process() -> list[str]:
    """The containers (running or not) the docker backend started from this process."""
    from graders.sandbox.docker import OWNER_LABEL, find_engine, owner_label
    engine, _ = find_engine("docker")
    if engine is None:
        return []
    listing = engine.run("ps", "-a", "--filter", f"label={OWNER_LABEL}={owner_label()}", "--format", "{{.Names}}")
    return listing.stdout.decode().split()
