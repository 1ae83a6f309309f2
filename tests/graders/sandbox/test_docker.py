"""The docker backend against a real engine (``scripts/docker-engine``) and the image built here
(``scripts/build-worker-image``): the limits the engine applied, the chapter's packages alone,
a container restarted when its warden is gone, and nothing left running however the grader ends.

The isolation and hostile-submission tests run on this backend too (``backend``/``sandbox_worker``
of test_isolation.py, test_hostile.py, test_cross_session.py). Slow: an engine and an image."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from graders.sandbox import docker
from graders.sandbox.docker import OWNER_LABEL, SLOT_UID_BASE
from tests.graders.sandbox._backends import start_worker
from tests.support.docker import BUILD_SCRIPT, ENGINE_SCRIPT, REPO, container_pids

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("docker_engine")]

PROBE = b'''
import importlib, os

def look():
    found = {}
    for name in ("numpy", "scipy", "torch", "filelock", "sklearn", "graders", "geodl_ref"):
        try:
            importlib.import_module(name)
            found[name] = "imported"
        except ImportError as exc:
            found[name] = type(exc).__name__
    writable = []
    for folder in ("/", "/opt/geodl/dist/torch", "/opt/geodl/dist/numpy", "/geodl/worker", "/geodl-control", "/usr"):
        try:
            with open(os.path.join(folder, "planted"), "w"):
                writable.append(folder)
        except OSError:
            pass
    return {"imports": found, "writable": writable, "torch files": os.listdir("/opt/geodl/dist/torch"),
            "control": os.listdir("/geodl-control"), "uid": os.getuid()}
'''


def _call(worker, function: str):
    session = worker.open_session()
    try:
        assert session.request("load", {"files": {"ch99/probe.py": PROBE}}, timeout_s=10).ok
        assert session.request("import", {"module": "ch99.probe"}, timeout_s=30).ok
        reply = session.request("call", {"target": {"module": "ch99.probe", "path": [function]}}, timeout_s=30)
    finally:
        session.close()
    assert reply.ok, reply.error
    return reply.value


def _inspect(worker) -> dict:
    found = worker.process.engine.run("container", "inspect", worker.process.container)
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)[0]


def test_the_engine_applies_every_limit():
    from graders.chapters import load_chapter
    ch06 = load_chapter("ch06")
    worker = start_worker("docker", slot=21, packages=ch06.sandbox_packages)
    try:
        host = _inspect(worker)["HostConfig"]
        seen = _call(worker, "look")
    finally:
        worker.stop()
    limits = worker.limits
    assert host["NetworkMode"] == "none" and host["ReadonlyRootfs"] is True and host["IpcMode"] == "private"
    assert host["CapDrop"] == ["ALL"] and not host["CapAdd"] and host["Privileged"] is False
    assert host["SecurityOpt"] == ["no-new-privileges"]  # and no seccomp=unconfined: the default profile
    assert host["Memory"] == host["MemorySwap"] == limits.memory_bytes
    assert host["PidsLimit"] == limits.pids and host["NanoCpus"] == int(limits.cpus * 1e9)
    assert host["AutoRemove"] is True and host["LogConfig"]["Type"] == "none"
    assert f"size={limits.scratch_bytes}" in host["Tmpfs"]["/tmp"]
    assert seen["uid"] == SLOT_UID_BASE + 21
    assert seen["imports"] == {"numpy": "imported", "scipy": "imported", "torch": "ModuleNotFoundError",
                               "filelock": "ModuleNotFoundError", "sklearn": "ModuleNotFoundError",
                               "graders": "ModuleNotFoundError", "geodl_ref": "ModuleNotFoundError"}
    assert seen["writable"] == [] and seen["torch files"] == [] and seen["control"] == []


def test_a_container_whose_warden_is_gone_is_replaced_by_a_fresh_one():
    worker = start_worker("docker", slot=22)
    try:
        first = worker.process.container
        warden = max(container_pids(worker))  # the container's only process: the warden, its PID 1
        os.kill(warden, signal.SIGKILL)
        worker.process.popen.wait(timeout=30)  # the container ended with its PID 1
        session = worker.open_session()
        assert session.request("ping", {"payload": 5}, timeout_s=30).value == 5
        session.close(wait=True)
        assert worker.starts == 2 and worker.process.container != first
        gone = worker.process.engine.run("container", "inspect", first)
        for _ in range(100):  # the engine removes an exited --rm container within moments
            if gone.returncode != 0:
                break
            time.sleep(0.1)
            gone = worker.process.engine.run("container", "inspect", first)
        assert gone.returncode != 0, "the dead container was not removed"
    finally:
        worker.stop()


GRADER = textwrap.dedent('''
    import sys, time
    from graders.grading.client import Worker
    from graders.sandbox import WorkerOptions
    from graders.sandbox.docker import DockerSandbox
    worker = Worker(DockerSandbox(), options=WorkerOptions(preload=("numpy",)), slot=23)
    with worker:
        session = worker.open_session()
        spin = b"def spin():\\n    while True:\\n        pass\\n"
        session.request("load", {"files": {"spin.py": spin}}, timeout_s=10)
        session.request("import", {"module": "spin"}, timeout_s=10)
        print(worker.process.container, flush=True)
        session.request("call", {"target": {"module": "spin", "path": ["spin"]}}, timeout_s=600)
''')


def _containers_owned_by(pid: int) -> list[str]:
    from graders.sandbox.docker import _boot_id, find_engine
    engine, _ = find_engine("docker")
    assert engine is not None
    listing = engine.run("ps", "-a", "--filter", f"label={OWNER_LABEL}={_boot_id()}:{pid}", "--format", "{{.Names}}")
    return listing.stdout.decode().split()


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_a_grader_interrupted_or_killed_mid_call_leaves_no_container(how, tmp_path):
    """A grader stopped by Ctrl-C removes its container on its way out; one killed outright
    cannot, but its warden sees the control socket close and exits, and the engine removes the
    container (--rm): either way nothing of it is left running, nor left at all."""
    grader = subprocess.Popen([sys.executable, "-c", GRADER], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        line = grader.stdout.readline().strip()
        assert line.startswith("geodl-"), grader.stderr.read()
        assert _containers_owned_by(grader.pid) == [line]
        time.sleep(0.5)  # the session is spinning now
        grader.send_signal(getattr(signal, how))
        grader.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _containers_owned_by(grader.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _containers_owned_by(grader.pid) == [], f"{how}: the container outlived its grader"
        still = subprocess.run(["pgrep", "-u", str(SLOT_UID_BASE + 23)], capture_output=True, text=True).stdout
        assert still.strip() == "", f"{how}: processes of the sandbox's uid are left: {still}"
        # the socket folder a killed grader could not remove goes with the next sweep of this host
        docker._SWEPT.clear()
        docker.sweep_abandoned(docker.find_engine("docker")[0])
        left = list(Path(tempfile.gettempdir()).glob(f"{docker.SOCKET_DIR_PREFIX}{grader.pid}-*"))
        assert left == [], f"{how}: the control socket's folder is left: {left}"
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()


def test_the_scripts_are_idempotent(docker_engine):
    """A second start finds the engine, a second build reuses the image (cheaply)."""
    again = subprocess.run([str(ENGINE_SCRIPT), "start"], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout.strip().splitlines()[-1] == f"DOCKER_HOST={docker_engine.host}"
    clock = time.perf_counter()
    rebuilt = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert rebuilt.stdout.strip().splitlines()[-1] == f"GEODL_DOCKER_IMAGE={docker_engine.image}"
    assert "reusing" in rebuilt.stderr and time.perf_counter() - clock < 60
