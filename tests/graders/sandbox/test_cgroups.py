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


def test_a_process_in_a_grading_group_sees_the_batchs_group_as_its_own():
    """A grading process's sandboxes go where the batch's would (beside ``geodl-grading/``, in
    ``geodl/``), never under the grading process's group, whose limit they would share."""
    from graders.sandbox.cgroups import _outside_grading_group
    assert _outside_grading_group("/batch/geodl-grading/g123-0-0123abcd") == "/batch"
    assert _outside_grading_group("/geodl-grading/g123-1-0123abcd") == "/"
    assert _outside_grading_group("/a/b/geodl-grading/g123-0-0123abcd/") == "/a/b"
    for other in ("/batch", "/", "/batch/geodl/s123-0-0123abcd", "/batch/geodl-grading/x", "/geodl-grading"):
        assert _outside_grading_group(other) == other


_IN_A_GRADING_GROUP = """
import json, sys
from pathlib import Path
from graders.sandbox.cgroups import Cgroup, group_name
grading = Cgroup(int(sys.argv[1]), {key: Path(path) for key, path in json.loads(sys.argv[2]).items()})
grading.join()
sandbox, reason = Cgroup.create(group_name(0), memory_bytes=256 * 2**20, pids=16, cpus=1.0)
print(json.dumps({key: str(path) for key, path in sandbox.dirs.items()}), flush=True)
sandbox.remove()
hoard = [b"\\x01" * (32 * 2**20) for _ in range(32)]
print("survived", flush=True)
"""


@pytest.mark.skipif(detect()[0] == 0, reason=f"no usable cgroup hierarchy here: {detect()[1]}")
def test_a_grading_group_kills_its_process_alone_past_its_limit_and_its_sandboxes_go_beside_it():
    import json

    from graders.sandbox.cgroups import GRADING_FOLDER, grading_group, grading_groups_folder, group_name
    group, reason = grading_group(0, 128 * 2**20)
    assert group is not None, reason
    mine, _ = Cgroup.create(group_name(1), memory_bytes=256 * 2**20, pids=16, cpus=1.0)  # from the batch's group
    assert mine is not None
    try:
        folder = grading_groups_folder()
        assert folder is not None and next(iter(group.dirs.values())).parent == folder
        assert folder.name == GRADING_FOLDER and set(group.dirs) == ({"memory"} if group.version == 1 else {"unified"})
        limit_file = "memory.limit_in_bytes" if group.version == 1 else "memory.max"
        assert (next(iter(group.dirs.values())) / limit_file).read_text().strip() == str(128 * 2**20)
        dirs = json.dumps({key: str(path) for key, path in group.dirs.items()})
        done = subprocess.run([sys.executable, "-c", _IN_A_GRADING_GROUP, str(group.version), dirs],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == -9 and "survived" not in done.stdout, (done.returncode, done.stdout, done.stderr)
        assert group.oom_kills() >= 1
        sandbox_dirs = json.loads(done.stdout.splitlines()[0])
        for key, path in sandbox_dirs.items():  # beside the batch's own sandbox groups
            assert os.path.dirname(path) == str(mine.dirs[key].parent), (key, path)
    finally:
        group.kill_all()
        group.remove()
        mine.remove()
    assert not any(d.exists() for d in group.dirs.values())


@pytest.mark.skipif(detect()[0] == 0, reason=f"no usable cgroup hierarchy here: {detect()[1]}")
def test_a_grading_group_whose_batch_died_is_swept_by_the_next_one_and_by_remove_abandoned():
    from graders.sandbox.cgroups import grading_group, grading_groups_folder, remove_abandoned
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder = grading_groups_folder()
    first, reason = grading_group(0, 256 * 2**20)
    assert first is not None and folder is not None, reason
    orphans = [folder / f"g{dead.stdout.strip()}-0-deadbeef", folder / f"g{os.getpid()}-5-0123abcd"]
    for path in orphans:
        path.mkdir()
    second, _ = grading_group(1, 256 * 2**20)
    try:
        assert second is not None and not orphans[0].exists() and orphans[1].exists()
        orphans[0].mkdir()
        remove_abandoned()
        assert not orphans[0].exists() and orphans[1].exists()
    finally:
        for group in (first, second):
            if group is not None:
                group.remove()
        orphans[1].rmdir()


def test_on_cgroup_v2_a_grading_group_limits_memory_without_swap_and_goes_as_a_whole(tmp_path, monkeypatch):
    """cgroup v2 on a fake hierarchy (this machine may have v1): the memory controller enabled
    for the children, the limit, no swap, and the whole group killed at once on an overrun."""
    from graders.sandbox import cgroups
    if not any(line.startswith("0::") for line in open("/proc/self/cgroup")):
        pytest.skip("this process has no cgroup v2 path to fake a hierarchy around")
    name = f"g{os.getpid()}-0-0123abcd"
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("")
    folder = tmp_path / cgroups.GRADING_FOLDER / name
    folder.mkdir(parents=True)
    for file in ("memory.max", "memory.swap.max", "memory.oom.group", "cgroup.procs"):
        (folder / file).write_text("")
    monkeypatch.setattr(cgroups, "grading_group_name", lambda slot: name)
    group, reason = cgroups.grading_group(0, 256 * 2**20, root=tmp_path)
    assert group is not None and group.version == 2, reason
    assert group.dirs == {"unified": folder}
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory"
    assert (folder.parent / "cgroup.subtree_control").read_text() == "+memory"
    assert [(folder / f).read_text() for f in ("memory.max", "memory.swap.max", "memory.oom.group")] == [
        str(256 * 2**20), "0", "1"]
    (tmp_path / "cgroup.controllers").write_text("cpu pids\n")
    assert cgroups.grading_group(0, 256 * 2**20, root=tmp_path)[0] is None  # no memory controller: no group
