"""Warm workers: one session (submission) leaves nothing — file, process, patched module, output —
that the next session of the same sandbox can see; on both isolating backends (bwrap, and docker
in the slow run: conftest.py)."""
from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.sandbox

PROBE = b'''
import os, time
import numpy as np

def plant():
    print("secret output of the first submission")
    with open("/tmp/planted.txt", "w") as fh:
        fh.write("left behind")
    os.makedirs("/tmp/planted_dir/deep", exist_ok=True)
    np.linalg.norm = lambda *a, **k: 42.0
    import sys
    sys.modules["json"] = None
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                time.sleep(1)
        os._exit(0)
    os.wait()
    return sorted(os.listdir("."))

def look():
    live = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                state = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                live.append(int(name))
    import json  # patched away in the first session
    return {"tmp": sorted(os.listdir("/tmp")), "work": sorted(os.listdir(".")), "live": sorted(live), "me": os.getpid(),
            "norm": float(np.linalg.norm([3.0, 4.0])), "json": json.dumps([1])}
'''


def _session(worker, files):
    session = worker.open_session()
    session.request("load", {"files": files}, timeout_s=10)
    assert session.request("import", {"module": "ch99.probe"}, timeout_s=10).ok
    return session


def test_nothing_crosses_from_one_session_to_the_next(sandbox_worker):
    first = _session(sandbox_worker, {"ch99/probe.py": PROBE, "ch99/secret_of_first.py": b"ANSWER = 42\n"})
    reply = first.request("call", {"target": {"module": "ch99.probe", "path": ["plant"]}}, timeout_s=10)
    assert reply.ok and reply.value == ["ch99"] and "secret output" in reply.output
    report = first.close(wait=True)
    assert report["killed"] >= 2  # the session and its daemon

    second = _session(sandbox_worker, {"ch99/probe.py": PROBE})
    reply = second.request("call", {"target": {"module": "ch99.probe", "path": ["look"]}}, timeout_s=10)
    second.close()
    assert reply.ok, reply.error
    seen = reply.value
    assert seen["tmp"] == ["session"], "files of the first submission are visible"
    assert seen["work"] == ["ch99"]
    assert seen["norm"] == 5.0 and seen["json"] == "[1]", "a patched module leaked into the next session"
    warden = sandbox_worker.info["pid"]
    assert set(seen["live"]) == {1, warden, seen["me"]}, "a process of the first submission survived"
    assert "secret output" not in reply.output


def test_a_session_cannot_read_the_grader_channel_or_the_wardens_memory(sandbox_worker):
    spy = b'''
import os
def spy(warden):
    out = {}
    for what in (f"/proc/{warden}/mem", f"/proc/{warden}/environ", f"/proc/{warden}/fd"):
        try:
            out[what] = str(os.listdir(what) if what.endswith("fd") else open(what, "rb").read(16))
        except OSError as exc:
            out[what] = type(exc).__name__
    targets, pipe_modes = [], []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        targets.append(target)
        if target.startswith("pipe:"):
            flags = open(f"/proc/self/fdinfo/{fd}").read().split("flags:")[1].split()[0]
            pipe_modes.append(int(flags, 8) & os.O_ACCMODE)
    out["fds"], out["pipe_modes"] = targets, pipe_modes
    return out
'''
    session = sandbox_worker.open_session()
    session.request("load", {"files": {"ch99/spy.py": spy}}, timeout_s=10)
    reply = session.request("call", {"target": {"module": "ch99.spy", "path": ["spy"]},
                                     "args": [sandbox_worker.info["pid"]]}, timeout_s=10)
    session.close()
    assert reply.ok, reply.error
    for key in ("mem", "environ", "fd"):
        value = next(v for k, v in reply.value.items() if k.endswith(key))
        assert value == "PermissionError", (key, value)
    targets = reply.value["fds"]
    assert sum(t.startswith("socket:") for t in targets) == 1, targets  # its own session socket, nothing else
    # and the write end of the grader's wake-up pipe (quiet streams): it can tell the grader to
    # look at its socket, and nothing can be read through it
    assert reply.value["pipe_modes"] == [os.O_WRONLY], targets
