"""The bubblewrap backend: the default sandbox on Linux.

Each sandbox gets fresh PID, network, IPC, UTS and (where possible) cgroup namespaces; a
read-only view of the system (``/usr`` and the interpreter) with only the allowed Python
packages and the ``graders/worker/`` folder bound in; a private, size-capped tmpfs as its only writable
place; no capabilities; and its own cgroup (v2 or v1) with memory, pids and CPU limits, or the
worker's rlimits where no cgroup can be made. When the grader runs as root, the sandbox runs
as a dedicated unprivileged uid per slot (``setpriv``), so parallel sandboxes cannot signal
each other; otherwise bubblewrap's user namespace maps the grader's own uid.
"""
from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from graders.sandbox.base import (
    WORKER_DIR,
    WORKER_MAIN,
    Sandbox,
    SandboxLimits,
    SandboxProcess,
    WorkerOptions,
    worker_env,
)
from graders.sandbox.cgroups import Cgroup, group_name
from graders.sandbox.environment import current_layout

SANDBOX_DIR = "/geodl"
SITE_DIR = "/geodl/site"
#: Base uid of the per-slot sandbox users when the grader runs as root.
SLOT_UID_BASE = 61000
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/nsswitch.conf")
NVIDIA_GLOBS = ("nvidia*", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset", "nvidia-caps")


class BwrapSandbox(Sandbox):
    name = "bwrap"
    isolates_pids = True

    def __init__(self, bwrap: str | None = None):
        self.bwrap = bwrap or shutil.which("bwrap") or "bwrap"

    def unavailable_reason(self) -> str | None:
        return _probe(self.bwrap, os.geteuid() == 0)

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        reason = self.unavailable_reason()
        if reason:
            from graders.errors import SandboxUnavailable
            raise SandboxUnavailable(reason, reference="sandbox-unavailable",
                                     hint="use --sandbox process for a local self-check")
        cgroup, reason = Cgroup.create(group_name(slot), memory_bytes=limits.memory_bytes, pids=limits.pids,
                                       cpus=limits.cpus)
        note = f"cgroup v{cgroup.version}" if cgroup is not None else f"rlimits only ({reason})"
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()
        argv = self.command(options, limits, slot=slot, rlimit_nproc=cgroup is None, control_fd=theirs.fileno())
        join_fds = cgroup.join_fds() if cgroup is not None else []

        def enter_cgroup() -> None:  # runs in the child between fork and exec
            for fd in join_fds:
                os.write(fd, b"0")

        try:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                pass_fds=(theirs.fileno(),),
                env=worker_env(limits),
                preexec_fn=enter_cgroup if join_fds else None,
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            ours.close()
            if cgroup is not None:
                cgroup.remove()
            raise
        finally:
            theirs.close()
            for fd in join_fds:
                os.close(fd)
        return SandboxProcess(popen, backend=self.name, control=ours, stderr=stderr, cgroup=cgroup, limits=limits,
                              limits_note=note)

    def command(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int, rlimit_nproc: bool,
                control_fd: int) -> list[str]:
        """The full ``bwrap ... -- python worker.py ...`` command line."""
        layout = current_layout(("nvidia-cudnn-cu12",) if limits.gpu else ())
        root = os.geteuid() == 0
        args = [self.bwrap]
        if root:
            args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        else:
            args += ["--unshare-all"]
        args += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
        args += _system_binds()
        args += _bind_ro(layout.prefix)
        for hidden in layout.hidden:
            args += ["--tmpfs", str(hidden)]
        args += ["--dir", SITE_DIR]
        for entry in layout.site_entries:
            args += ["--ro-bind", str(entry), f"{SITE_DIR}/{entry.name}"]
        args += ["--ro-bind", str(WORKER_DIR), f"{SANDBOX_DIR}/worker"]  # the trust boundary: graders/worker/ alone
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(limits.scratch_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
        if limits.gpu:
            args += _gpu_binds()
        args += ["--chdir", "/tmp"]
        if root:
            uid = SLOT_UID_BASE + slot
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                     "--cap-add", "CAP_SETPCAP", "--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                     "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"]
        else:
            args += ["--cap-drop", "ALL", "--disable-userns", "--"]
        args += [str(layout.executable), "-P", "-s", "-S", f"{SANDBOX_DIR}/worker/{WORKER_MAIN}",
                 "--control-fd", str(control_fd), "--pidns", "--site", SITE_DIR,
                 "--scratch", "/tmp", *options.warden_args()]
        if rlimit_nproc:
            args += ["--nproc", str(limits.pids)]
        return args


def _system_binds() -> list[str]:
    """``/usr`` read-only, the merged-/usr symlinks (or real folders), and a few /etc files."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    return args


def _bind_ro(path: Path) -> list[str]:
    """Bind ``path`` read-only at the same place, with traversable parent folders (0755)."""
    args = []
    for parent in reversed(path.parents):
        if str(parent) in ("/", "/usr") or str(parent).startswith("/usr/"):
            continue
        args += ["--perms", "0755", "--dir", str(parent)]
    return args + ["--ro-bind", str(path), str(path)]


def _gpu_binds() -> list[str]:
    """The NVIDIA device nodes and driver files, and nothing else of /dev."""
    args = []
    for pattern in NVIDIA_GLOBS:
        for node in sorted(Path("/dev").glob(pattern)):
            args += ["--dev-bind", str(node), str(node)]
    # The driver's libraries live under /usr (bound already: /usr/lib/..., /usr/local/nvidia);
    # CUDA also reads /sys and /proc/driver/nvidia (the sandbox's own procfs has it).
    args += ["--ro-bind-try", "/etc/alternatives", "/etc/alternatives", "--ro-bind-try", "/sys", "/sys"]
    return args


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str, root: bool) -> str | None:
    """Run a trivial sandbox once; the reason it fails, or ``None`` if bubblewrap works here."""
    if shutil.which(bwrap) is None and not os.path.exists(bwrap):
        return "bubblewrap is not installed (Debian package 'bubblewrap')"
    unshare = ["--unshare-pid", "--unshare-net"] if root else ["--unshare-all"]
    argv = [bwrap, *unshare, "--die-with-parent", *_system_binds(), "--proc", "/proc", "--dev", "/dev", "--", "true"]
    if root:
        argv[-1:] = ["setpriv", f"--reuid={SLOT_UID_BASE}", f"--regid={SLOT_UID_BASE}", "--clear-groups", "true"]
    try:
        result = subprocess.run(argv, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start a sandbox: {exc}"
    if result.returncode != 0:
        return f"bubblewrap could not start a sandbox: {result.stderr.decode(errors='replace').strip()[:300]}"
    return None
