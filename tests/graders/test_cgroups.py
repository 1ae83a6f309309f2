"""graders/sandbox/cgroups.py: a sandbox's cgroup has the limits, holds its processes, and is
removed with nothing left in it."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from graders.sandbox.cgroups import Cgroup, detect


def test_detect_names_a_version_and_reason():
    version, reason = detect()
    assert version in (0, 1, 2) and reason


@pytest.mark.skipif(detect()[0] == 0, reason=f"no usable cgroup hierarchy here: {detect()[1]}")
def test_limits_membership_kill_and_removal():
    group, reason = Cgroup.create(f"test-{os.getpid()}", memory_bytes=256 * 2**20, pids=16, cpus=1.0)
    assert group is not None, reason
    try:
        if group.version == 1:
            assert (group.dirs["memory"] / "memory.limit_in_bytes").read_text().strip() == str(256 * 2**20)
            assert (group.dirs["pids"] / "pids.max").read_text().strip() == "16"
        else:
            assert (group.dirs["unified"] / "memory.max").read_text().strip() == str(256 * 2**20)
        fds = group.join_fds()

        def enter():
            for fd in fds:
                os.write(fd, b"0")

        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], preexec_fn=enter)
        for fd in fds:
            os.close(fd)
        assert child.pid in group.pids()
        group.kill_all()
        assert child.wait(timeout=10) == -9
        assert group.pids() == set()
    finally:
        group.kill_all()
        group.remove()
    assert not any(d.exists() for d in group.dirs.values())
