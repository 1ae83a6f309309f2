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


@pytest.mark.skipif(detect()[0] == 0, reason=f"no usable cgroup hierarchy here: {detect()[1]}")
def test_a_group_whose_maker_died_is_swept_by_the_next_one():
    """A grading process killed before it removed its sandbox's group leaves the group behind;
    the next group made beside it removes it once it is empty (a live maker's group stays)."""
    from graders.sandbox.cgroups import group_name
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    first, reason = Cgroup.create(group_name(0), memory_bytes=256 * 2**20, pids=16, cpus=1.0)
    assert first is not None, reason
    parent = next(iter(first.dirs.values())).parent
    orphans = [parent / f"s{dead.stdout.strip()}-0-deadbeef", parent / group_name(1)]  # a dead maker, a live one
    for path in orphans:
        path.mkdir()
    second, _ = Cgroup.create(group_name(2), memory_bytes=256 * 2**20, pids=16, cpus=1.0)
    try:
        assert not orphans[0].exists() and orphans[1].exists()
    finally:
        for group in (first, second):
            group.remove()
        orphans[1].rmdir()
