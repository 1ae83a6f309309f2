"""The sandboxes (bwrap, and docker in the slow run) against hostile submissions
(samples/hostile/): each gets zero on what it affects with a clear reason, the rest of the
submission still grades, and nothing is left behind."""
from __future__ import annotations

import os
import re
import socket
import threading
import time

import psutil
import pytest

from graders.authoring.samples import hostile_files, load_hostile
from graders.chapters import load_chapter
from graders.grading.engine import grade
from graders.grading.settings import get_profile
from graders.grading.submission import Submission
from tests.graders.sandbox._backends import BACKENDS, sandbox_pids, start_worker

pytestmark = pytest.mark.sandbox

SETTINGS = get_profile("grading").replace(call_timeout_s=3.0, exercise_timeout_s=12.0, max_examples=5)
HOSTILE = {h.name: h for h in load_hostile()}

#: Graded alone here: the single ones, and the class ones (which a batch grades in tests/graders/batch,
#: on bwrap: here they are slow, so that the default run does not pay for them twice).
SINGLE = [name if HOSTILE[name].kind == "single" else pytest.param(name, marks=pytest.mark.slow)
          for name in sorted(name for name, h in HOSTILE.items() if h.kind in ("single", "class"))]


def test_every_hostile_sample_says_what_it_attacks():
    for hostile in HOSTILE.values():
        assert hostile.attacks and hostile.outcome in ("loses-points", "full-marks", "any"), hostile.name
        assert hostile.kind in ("single", "cross-session", "class"), hostile.name


def _still_running(pids: set[int], grace_s: float = 2.0) -> list[int]:
    """Those of ``pids`` still running (neither gone nor a zombie) after up to ``grace_s``: a
    process killed with its sandbox has left the sandbox's cgroup a moment before it is a zombie."""
    deadline = time.monotonic() + grace_s
    while True:
        running = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    running.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.01)


@pytest.fixture(scope="module")
def baseline(sandbox_worker):
    return sandbox_pids(sandbox_worker)


@pytest.mark.parametrize("name", SINGLE)
def test_hostile_submission(name, sandbox_worker, baseline):
    hostile = HOSTILE[name]
    exercise_id, statuses, pattern = hostile.attacks, hostile.statuses, hostile.message
    chapter = load_chapter(hostile.chapter)
    result = grade(Submission(chapter.id, hostile_files(hostile)), chapter, sandbox_worker, SETTINGS)

    for exercise in result.exercises:
        if exercise.id != exercise_id:  # the rest of the submission still grades
            assert exercise.score == exercise.max_score, (exercise.id,
                                                          [c.message for c in exercise.checks if not c.passed])
    attacked = result.exercise(exercise_id)
    failures = [c for c in attacked.checks if not c.passed]
    if hostile.outcome == "full-marks":
        assert attacked.score == attacked.max_score
    elif hostile.outcome == "loses-points":
        assert failures, f"{name} should lose points on {exercise_id}"
        for check in attacked.checks:
            assert not statuses or check.status in statuses, (check.name, check.status, check.message)
        assert any(re.search(pattern, c.message) for c in failures), [c.message for c in failures]
    if hostile.at_most is not None:
        assert attacked.score <= hostile.at_most, f"{name} gained {attacked.score} on {exercise_id}"
    for check in attacked.checks:  # one line a student understands, never an internal error
        assert check.status != "grader_error", check.message
        assert "\n" not in check.message.strip()
    sandbox_worker.settle()  # the warden cleans up after a session while the grader goes on
    left = _still_running(sandbox_pids(sandbox_worker) - baseline)  # on a loaded machine, a killed one may be exiting
    assert not left, f"the session left processes behind: {left}"


def test_reading_forbidden_paths_finds_nothing(sandbox_worker):
    result = grade(Submission("ch06", hostile_files(HOSTILE["read_secrets"])), load_chapter("ch06"), sandbox_worker,
                   SETTINGS, exercises=["ch06.variational_bp"])
    text = " ".join(c.message + c.output for e in result.exercises for c in e.checks)
    assert "BEGIN SOLUTION" not in text and "Multilayer perceptron" not in text and "chapter = Chapter" not in text
    assert "found 0 paths" in text or "time limit" in text


def test_network_is_unreachable_from_the_sandbox(sandbox_worker):
    received: list[bytes] = []
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind(("127.0.0.1", 45678))
    except OSError:
        pytest.skip("port 45678 is busy on this host")
    server.listen(1)
    server.settimeout(0.5)

    def serve():
        try:
            conn, _ = server.accept()
            received.append(conn.recv(100))
            conn.sendall(b"secret answer")
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = grade(Submission("ch06", hostile_files(HOSTILE["network"])), load_chapter("ch06"), sandbox_worker,
                       SETTINGS, exercises=["ch06.variational_bp"])
    finally:
        thread.join(2)
        server.close()
    assert received == []
    assert result.exercise("ch06.variational_bp").score < result.exercise("ch06.variational_bp").max_score


def test_a_grader_side_patch_is_impossible(sandbox_worker):
    import numpy as np
    grade(Submission("ch06", hostile_files(HOSTILE["patch_grader"])), load_chapter("ch06"), sandbox_worker, SETTINGS,
          exercises=["ch06.mlp_backprop"])
    assert not np.allclose(1.0, 2.0) and isinstance(1, int) and not isinstance(1, str)


@pytest.mark.parametrize("backend", BACKENDS)
def test_stopping_the_worker_leaves_nothing_on_the_host(backend, request):
    if backend == "docker":
        request.getfixturevalue("docker_engine")
    worker = start_worker(backend, slot=9)
    process = worker.process
    grade(Submission("ch06", hostile_files(HOSTILE["linger"])), load_chapter("ch06"), worker, SETTINGS,
          exercises=["ch06.mlp_backprop"])
    pids = {process.popen.pid} | sandbox_pids(worker)
    worker.stop()
    assert _still_running(pids) == []
    if process.cgroup is not None:
        assert not any(d.exists() for d in process.cgroup.dirs.values()), "the sandbox cgroup was not removed"
    if backend == "docker":
        from tests.support.docker import containers_of_this_process
        assert process.container not in containers_of_this_process(), "the container is still there"
        assert not any(path.exists() for path in process.cleanup_paths), "the control socket's folder is left"
    if os.geteuid() == 0:
        uid = {"bwrap": 61009, "docker": 62009}[backend]
        leftovers = [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
        assert leftovers == []
