"""Control groups for sandboxes: cgroup v2 where the host has it, v1 otherwise, none if neither.

A sandbox's processes join its cgroup before exec (``join_fds`` are written from the child
between fork and exec), so nothing the submission starts can escape the memory, pids and CPU
limits. ``kill_all`` kills every member and ``remove`` deletes the group. A group whose grading
process died without removing it (killed, say) is removed by the next :meth:`Cgroup.create`
under the same parent once it is empty (:func:`group_name` records who made each group).

A batch's grading processes get a memory group each too (:func:`grading_group`), in a folder
beside the sandboxes' (``geodl-grading/`` next to ``geodl/``), so that a grading process that
overruns is killed alone. A sandbox started by a process in such a group still goes where it
would have gone from the batch's own group, never under its grading process's: its memory is
its own group's, not charged to the grading process's limit.
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
#: The folder (beside the sandboxes' ``geodl``) of the grading processes' own memory groups.
GRADING_FOLDER = "geodl-grading"
_GRADING_GROUP = re.compile(r"g(\d+)-\d+-[0-9a-f]+")


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

    def join(self) -> None:
        """Move this process (all its threads) into the group; what it starts afterwards is born
        there too. Raises ``OSError`` where it cannot join."""
        for d in self.dirs.values():
            (d / "cgroup.procs").write_text("0")

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


def grading_group_name(slot: int) -> str:
    """A fresh name for a grading process's group: ``g<pid of this process>-<slot>-<random>``
    (this process: the batch's, which makes the group and removes it)."""
    return f"g{os.getpid()}-{slot}-{uuid.uuid4().hex[:8]}"


def grading_group(slot: int, memory_bytes: int, root: Path | None = None) -> tuple[Cgroup | None, str]:
    """A memory group for one grading process of a batch, made by the batch's process under its
    own cgroup's ``geodl-grading/`` folder: ``(group, reason)``, or ``(None, reason)`` where no
    group can be made here (no usable hierarchy, no memory controller, no permission).

    The group limits memory alone (``memory_bytes``, no swap beyond it). The grading process
    joins it first thing (:meth:`Cgroup.join`), so that an overrun of its own has the kernel
    kill it, not the pool beside it nor the batch; the batch reads :meth:`Cgroup.oom_kills` to
    say why it died, then :meth:`Cgroup.kill_all` and :meth:`Cgroup.remove`. On cgroup v2 the
    whole group goes at once when one member overruns (``memory.oom.group``). A sandbox that a
    grading process starts goes beside this folder, in the sandboxes' own, as from the batch's
    group (:func:`_outside_grading_group`), so its memory is not counted here. Groups left by a
    batch that died (its maker gone, no process inside) are removed by the next one made beside
    them."""
    root = root if root is not None else CGROUP_ROOT
    version, reason = detect(root)
    name = grading_group_name(slot)
    try:
        if version == 2:
            return _grading_group_v2(name, memory_bytes, root), reason
        if version == 1:
            return _grading_group_v1(name, memory_bytes, root), reason
    except OSError as exc:
        return None, f"could not create a memory group for the grading process ({exc})"
    return None, reason


def _grading_group_v1(name: str, memory_bytes: int, root: Path) -> Cgroup:
    parent = root / "memory" / _v1_own_paths(root).get("memory", "").lstrip("/") / GRADING_FOLDER
    parent.mkdir(parents=True, exist_ok=True)
    _sweep_grading(parent)
    path = parent / name
    path.mkdir(exist_ok=True)
    group = Cgroup(1, {"memory": path})
    try:
        group._write("memory", "memory.limit_in_bytes", str(memory_bytes))
        if (path / "memory.memsw.limit_in_bytes").exists():
            group._write("memory", "memory.memsw.limit_in_bytes", str(memory_bytes))
    except OSError:
        group.remove()
        raise
    return group


def _grading_group_v2(name: str, memory_bytes: int, root: Path) -> Cgroup:
    base = _v2_base(root)
    if "memory" not in (base / "cgroup.controllers").read_text().split():
        raise OSError(f"the memory controller is not available in {base}")
    if "memory" not in (base / "cgroup.subtree_control").read_text().split() and not _try_write(
            base / "cgroup.subtree_control", "+memory"):
        _move_processes_to_leaf(base)  # as for the sandboxes' groups (Cgroup._create_v2)
        _try_write(base / "cgroup.subtree_control", "+memory")
    parent = base / GRADING_FOLDER
    parent.mkdir(exist_ok=True)
    _sweep_grading(parent)
    _try_write(parent / "cgroup.subtree_control", "+memory")
    path = parent / name
    path.mkdir(exist_ok=True)
    group = Cgroup(2, {"unified": path})
    try:
        if not (path / "memory.max").exists():
            raise OSError("the memory controller cannot be enabled for child cgroups here")
        (path / "memory.max").write_text(str(memory_bytes))
        if (path / "memory.swap.max").exists():
            (path / "memory.swap.max").write_text("0")
        if (path / "memory.oom.group").exists():
            (path / "memory.oom.group").write_text("1")
    except OSError:
        group.remove()
        raise
    return group


def _sweep_grading(parent: Path) -> None:
    """Remove the grading processes' groups under ``parent`` whose batch is gone and that hold no process."""
    for group in _groups(parent):
        match = _GRADING_GROUP.fullmatch(group.name)
        if match is None or os.path.exists(f"/proc/{match.group(1)}"):
            continue
        try:
            if not (group / "cgroup.procs").read_text().strip():
                group.rmdir()
        except OSError:
            pass


def grading_groups_folder(root: Path | None = None) -> Path | None:
    """Where :func:`grading_group` puts the groups of this process's grading processes (on cgroup
    v1, in the memory hierarchy); ``None`` where no cgroup hierarchy is usable."""
    root = root if root is not None else CGROUP_ROOT
    version, _ = detect(root)
    if version == 2:
        return _v2_base(root) / GRADING_FOLDER
    if version == 1:
        return root / "memory" / _v1_own_paths(root).get("memory", "").lstrip("/") / GRADING_FOLDER
    return None


def sandbox_groups_of(pid: int, root: Path | None = None) -> list[Cgroup]:
    """The sandboxes' groups that process ``pid`` made (:func:`group_name`) and that still exist,
    as seen from this process (the batch's, or a grading process's: the same folder). A batch
    that killed a grading process ends what is left in them and removes them."""
    root = root if root is not None else CGROUP_ROOT
    version, _ = detect(root)
    prefix = f"s{pid}-"
    if version == 2:
        return [Cgroup(2, {"unified": group}) for group in _groups(_v2_base(root) / "geodl")
                if group.name.startswith(prefix)]
    if version == 1:
        own = _v1_own_paths(root)
        found: dict[str, dict[str, Path]] = {}
        for controller in V1_CONTROLLERS:
            for group in _groups(_v1_groups_dir(root, controller, own)):
                if group.name.startswith(prefix):
                    found.setdefault(group.name, {})[controller] = group
        return [Cgroup(1, dirs) for dirs in found.values()]
    return []


def remove_abandoned(root: Path | None = None) -> None:
    """Remove the groups under this process's cgroup, sandboxes' and grading processes', whose
    maker is gone and that hold no process: what a grading process killed by its batch left
    (its sandbox died with it, its group stayed), removed when the batch's pool closes."""
    root = root if root is not None else CGROUP_ROOT
    version, _ = detect(root)
    if version == 2:
        base = _v2_base(root)
        _sweep(base / "geodl")
        _sweep_grading(base / GRADING_FOLDER)
    elif version == 1:
        own = _v1_own_paths(root)
        for controller in V1_CONTROLLERS:
            _sweep(_v1_groups_dir(root, controller, own))
        _sweep_grading(root / "memory" / own.get("memory", "").lstrip("/") / GRADING_FOLDER)


def _outside_grading_group(path: str) -> str:
    """A cgroup path as seen from a grading process's group (``.../geodl-grading/g...``): the
    path of the group that holds ``geodl-grading/``, where that process's sandboxes go; any other
    path as it is."""
    parts = path.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == GRADING_FOLDER and _GRADING_GROUP.fullmatch(parts[-1]):
        return "/".join(parts[:-2]) or "/"
    return path


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
                path = root / _outside_grading_group(line[3:]).lstrip("/")
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
        path = _outside_grading_group(path)
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
