"""Control groups for sandboxes: cgroup v2 where the host has it, v1 otherwise, none if neither.

A sandbox's processes join its cgroup before exec (``join_fds`` are written from the child
between fork and exec), so nothing the submission starts can escape the memory, pids and CPU
limits. ``kill_all`` kills every member and ``remove`` deletes the group. A group whose grading
process died without removing it (killed, say) is removed by the next :meth:`Cgroup.create`
under the same parent once it is empty (:func:`group_name` records who made each group).
"""
from __future__ import annotations

import os
import re
import signal
import time
import uuid
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
#: Where the grader's own processes go on cgroup v2 when their cgroup must become an inner node.
HOST_LEAF = "geodl-host"
V1_CONTROLLERS = ("memory", "pids", "cpu")


def group_name(slot: int) -> str:
    """A fresh name for a sandbox's group: ``s<pid of this process>-<slot>-<random>``."""
    return f"s{os.getpid()}-{slot}-{uuid.uuid4().hex[:8]}"


def _abandoned(group: Path) -> bool:
    """Whether ``group`` was made by a process that no longer exists and holds no process."""
    match = re.fullmatch(r"s(\d+)-\d+-[0-9a-f]+", group.name)
    if match is None or os.path.exists(f"/proc/{match.group(1)}"):
        return False
    try:
        return not (group / "cgroup.procs").read_text().strip()
    except OSError:
        return False


def _groups(parent: Path) -> list[Path]:
    """The groups (sub-folders) under ``parent``; none if it cannot be read."""
    try:
        return [g for g in parent.iterdir() if g.is_dir()]
    except OSError:
        return []


def _sweep(parent: Path) -> None:
    """Remove the abandoned groups under ``parent`` (an empty cgroup is removed with rmdir)."""
    for group in _groups(parent):
        if _abandoned(group):
            try:
                group.rmdir()
            except OSError:
                pass


def detect(root: Path = CGROUP_ROOT) -> tuple[int, str]:
    """``(version, reason)``: 2, 1, or 0 when no writable cgroup hierarchy is usable here."""
    if (root / "cgroup.controllers").exists():
        base = _v2_own_path(root)
        if base is None:
            return 0, "cgroup v2 is mounted but this process's cgroup was not found"
        if not os.access(base, os.W_OK):
            return 0, f"cgroup v2: {base} is not writable"
        return 2, f"cgroup v2 under {base}"
    if (root / "memory" / "cgroup.procs").exists() and (root / "pids" / "cgroup.procs").exists():
        if not os.access(root / "memory", os.W_OK):
            return 0, "cgroup v1: the memory hierarchy is not writable"
        return 1, "cgroup v1 (memory, pids, cpu hierarchies)"
    return 0, "no cgroup hierarchy is mounted"


class Cgroup:
    """One sandbox's control group (one directory per v1 hierarchy, or one v2 directory)."""

    def __init__(self, version: int, dirs: dict[str, Path]):
        self.version = version
        self.dirs = dirs  # controller (or "unified") -> directory

    # -- creation
    @classmethod
    def create(cls, name: str, *, memory_bytes: int, pids: int, cpus: float,
               root: Path = CGROUP_ROOT) -> tuple["Cgroup | None", str]:
        """Create and configure a cgroup; ``(None, reason)`` where none can be made."""
        version, reason = detect(root)
        try:
            if version == 2:
                return cls._create_v2(name, memory_bytes, pids, cpus, root), reason
            if version == 1:
                return cls._create_v1(name, memory_bytes, pids, cpus, root), reason
        except OSError as exc:
            return None, f"could not create a cgroup ({exc}); falling back to rlimits"
        return None, reason

    @classmethod
    def _create_v1(cls, name, memory_bytes, pids, cpus, root) -> "Cgroup":
        own = _v1_own_paths(root)
        dirs = {}
        try:
            for controller in V1_CONTROLLERS:
                hierarchy = root / controller
                if not (hierarchy / "cgroup.procs").exists():
                    continue
                path = _v1_groups_dir(root, controller, own) / name
                _sweep(path.parent)
                path.mkdir(parents=True, exist_ok=True)
                dirs[controller] = path
            group = cls(1, dirs)
            group._write("memory", "memory.limit_in_bytes", str(memory_bytes))
            if (dirs["memory"] / "memory.memsw.limit_in_bytes").exists():
                group._write("memory", "memory.memsw.limit_in_bytes", str(memory_bytes))
            group._write("pids", "pids.max", str(pids))
            if "cpu" in dirs and (dirs["cpu"] / "cpu.cfs_quota_us").exists():
                group._write("cpu", "cpu.cfs_period_us", "100000")
                group._write("cpu", "cpu.cfs_quota_us", str(int(cpus * 100000)))
        except OSError:
            cls(1, dirs).remove()
            raise
        return group

    @classmethod
    def _create_v2(cls, name, memory_bytes, pids, cpus, root) -> "Cgroup":
        base = _v2_base(root)
        parent = base / "geodl"
        parent.mkdir(exist_ok=True)
        _sweep(parent)
        wanted = {"memory", "pids", "cpu"}
        available = set((base / "cgroup.controllers").read_text().split())
        enabled = set((base / "cgroup.subtree_control").read_text().split())
        missing = sorted((wanted & available) - enabled)
        if missing and not _try_write(base / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing)):
            # cgroup v2 lets a cgroup hand controllers to its children only when it holds no
            # process itself: move this cgroup's processes into a leaf, then enable them.
            _move_processes_to_leaf(base)
            _try_write(base / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))
        for ctrl in sorted(wanted & available):
            _try_write(parent / "cgroup.subtree_control", f"+{ctrl}")
        path = parent / name
        path.mkdir(exist_ok=True)
        group = cls(2, {"unified": path})
        if not (path / "memory.max").exists() or not (path / "pids.max").exists():
            group.remove()
            raise OSError("memory/pids controllers cannot be enabled for child cgroups here")
        (path / "memory.max").write_text(str(memory_bytes))
        if (path / "memory.swap.max").exists():
            (path / "memory.swap.max").write_text("0")
        (path / "pids.max").write_text(str(pids))
        if (path / "cpu.max").exists():
            (path / "cpu.max").write_text(f"{int(cpus * 100000)} 100000")
        return group

    # -- use
    def join_fds(self) -> list[int]:
        """Open ``cgroup.procs`` of every hierarchy; a forked child writes ``0`` to each to join."""
        return [os.open(d / "cgroup.procs", os.O_WRONLY) for d in self.dirs.values()]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for d in self.dirs.values():
            try:
                found.update(int(p) for p in (d / "cgroup.procs").read_text().split())
            except OSError:
                continue
        return found

    def oom_kills(self) -> int:
        """How many processes the kernel killed for exceeding the memory limit."""
        if self.version == 2:
            events = self._read("unified", "memory.events")
        else:
            events = self._read("memory", "memory.oom_control")
        for line in events.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def peak_memory_bytes(self) -> int:
        text = (self._read("unified", "memory.peak") if self.version == 2
                else self._read("memory", "memory.max_usage_in_bytes"))
        return int(text) if text.strip().isdigit() else 0

    def kill_all(self, timeout_s: float = 10.0) -> None:
        """SIGKILL every member until the group is empty (v2 uses ``cgroup.kill`` when present)."""
        if self.version == 2 and (self.dirs["unified"] / "cgroup.kill").exists():
            _try_write(self.dirs["unified"] / "cgroup.kill", "1")
        deadline = time.monotonic() + timeout_s
        while True:
            members = self.pids()
            if not members or time.monotonic() > deadline:
                return
            for pid in members:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.005)

    def remove(self) -> None:
        for d in self.dirs.values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)

    def _write(self, controller: str, name: str, value: str) -> None:
        (self.dirs[controller] / name).write_text(value)

    def _read(self, controller: str, name: str) -> str:
        try:
            return (self.dirs[controller] / name).read_text()
        except (OSError, KeyError):
            return ""


def memory_peaks(root: Path = CGROUP_ROOT) -> dict[str, int]:
    """The peak memory, in bytes, of each sandbox cgroup that exists now under this process's
    cgroup (by name), as the kernel counts it: cheap to read, unlike a process's PSS, so a
    benchmark can poll it without slowing what it measures. Empty where there are none."""
    version, _ = detect(root)
    if version == 2:
        parent, key = _v2_base(root) / "geodl", "unified"
    elif version == 1:
        parent, key = _v1_groups_dir(root, "memory", _v1_own_paths(root)), "memory"
    else:
        return {}
    return {group.name: Cgroup(version, {key: group}).peak_memory_bytes() for group in _groups(parent)}


def _v1_groups_dir(root: Path, controller: str, own: dict[str, str]) -> Path:
    """Where this process's sandbox groups go in one v1 hierarchy (``own``: :func:`_v1_own_paths`)."""
    return root / controller / own.get(controller, "").lstrip("/") / "geodl"


def _v2_base(root: Path) -> Path:
    """The cgroup under which this process's sandboxes go (its own, or the parent of the leaf an
    earlier sandbox moved it into)."""
    base = _v2_own_path(root) or root
    return base.parent if base.name == HOST_LEAF else base


def _v2_own_path(root: Path) -> Path | None:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                path = root / line[3:].lstrip("/")
                return path if path.exists() else root
    except OSError:
        return None
    return None


def _v1_own_paths(root: Path) -> dict[str, str]:
    """This process's cgroup path in each v1 hierarchy (where it exists on this mount)."""
    own: dict[str, str] = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return own
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller in V1_CONTROLLERS and (root / controller / path.lstrip("/")).is_dir():
                own[controller] = path
    return own


def _move_processes_to_leaf(base: Path) -> None:
    leaf = base / HOST_LEAF
    leaf.mkdir(exist_ok=True)
    for pid in (base / "cgroup.procs").read_text().split():
        _try_write(leaf / "cgroup.procs", pid)


def _try_write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
        return True
    except OSError:
        return False
