"""The bubblewrap backend: the default sandbox on Linux.

Each sandbox gets fresh PID, network, IPC, UTS and (where possible) cgroup namespaces; a
read-only view of the system (``/usr`` and the interpreter) with only the Python packages the
chapter allows and the ``graders/worker/`` folder bound in; a private, size-capped tmpfs as its
only writable place; no capabilities; a seccomp filter (:mod:`graders.sandbox.seccomp`) that
denies the system calls student code has no use for, new namespaces above all; and its own
cgroup (v2 or v1) with memory, pids and CPU limits, or the worker's rlimits where no cgroup can
be made. When the grader runs as root, the sandbox runs as a dedicated unprivileged uid per slot
(``setpriv``), so parallel sandboxes cannot signal each other; otherwise bubblewrap's user
namespace maps the grader's own uid.

The command line (:meth:`BwrapSandbox.command`), flag by flag:

Namespaces
    ``--unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup-try`` (as root)
    or ``--unshare-all`` (otherwise: the same plus a user namespace, which an unprivileged
    bubblewrap needs to do anything): System V IPC and POSIX message queues of its own; its own
    PIDs (the warden kills every process but itself and PID 1 between sessions, and sees no
    process of the host); a network namespace with nothing but its own loopback (no network);
    its own host name; its own cgroup root, where the kernel has cgroup namespaces.
``--die-with-parent``
    The sandbox dies with the grader (PR_SET_PDEATHSIG): no warden outlives a crashed grader.
``--new-session``
    A new terminal session (setsid): student code cannot push input into the grader's terminal
    (TIOCSTI).
``--hostname sandbox``
    What ``uname`` tells student code instead of the host's name.
``--ro-bind /usr /usr``, ``--symlink usr/lib /lib`` ..., ``--ro-bind-try /etc/ld.so.cache ...``
    The system read-only (``/bin``, ``/lib``... as the host's symlinks into /usr, or bound
    read-only where they are folders): programs, shared libraries, the dynamic loader's cache and
    configuration, the time zone, nsswitch.conf. Nothing else of /etc (no passwd, no shadow).
``--perms 0755 --dir PARENT ... --ro-bind PREFIX PREFIX``
    The interpreter's installation (``sys.base_prefix``: the standard library) read-only, at its
    own path, with traversable parent folders.
``--tmpfs PREFIX/lib/pythonX.Y/site-packages``
    An empty folder over the installation's own site-packages: the packages installed there are
    not in the sandbox.
``--dir /geodl/site``, ``--ro-bind ENTRY /geodl/site/NAME`` ...
    The allowed distributions (:func:`graders.sandbox.environment.current_layout` of
    :meth:`WorkerOptions.sandbox_packages`): one read-only bind per top-level package, module,
    library folder and ``.dist-info`` of each, into the one folder the worker puts on
    ``sys.path`` (``--site``). A distribution the chapter forbids everywhere has no file there.
``--ro-bind graders/worker /geodl/worker``
    The worker, read-only: the only code of geodl in the sandbox (the trust boundary).
``--proc /proc``
    A procfs of the sandbox's own PID namespace (the warden lists its processes there).
``--dev /dev``
    A minimal /dev (null, zero, full, random, urandom, tty, a private /dev/shm and /dev/pts):
    no disk, no host device.
``--size BYTES --perms 1777 --tmpfs /tmp``
    The writable place (with /dev/shm): a private tmpfs of ``limits.scratch_bytes`` (the
    warden's scratch space and the sessions' work folders), wiped between sessions.
``--dev-bind /dev/nvidia* ...``, ``--ro-bind-try /etc/alternatives ...``, ``--ro-bind-try /sys /sys`` (GPU only)
    The NVIDIA device nodes and what the CUDA driver reads; nothing on a CPU sandbox.
``--chdir /tmp``
    Start in the scratch space.
``--seccomp FD``
    The seccomp filter (:func:`graders.sandbox.seccomp.program`), read from an inherited memfd
    and installed just before the command runs (after ``PR_SET_NO_NEW_PRIVS``, which bubblewrap
    always sets). It holds for every process of the sandbox, ``setpriv`` included: new user (and
    other) namespaces, mounts, ptrace, keyrings, bpf, perf, userfaultfd, io_uring ... fail with
    EPERM. Left out where the filter does not know the machine's architecture (the sandbox's
    ``limits_note`` says so).
``--cap-drop ALL``
    No capability for the command. As root, three come back for ``setpriv`` alone:
    ``--cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_SETPCAP``, and
``-- setpriv --reuid=UID --regid=UID --clear-groups --bounding-set=-all --inh-caps=-all --no-new-privs --``
    (as root) runs the worker as the slot's own unprivileged uid (``SLOT_UID_BASE + slot``),
    with no supplementary group, an empty capability bounding set (nothing can ever regain a
    capability), no inheritable capability, and no_new_privs (no setuid program gains anything).
    No user namespace can be made inside (the filter's ``unshare``/``clone`` rules).
``--disable-userns --``
    (not root) the same for bubblewrap's own user namespace: nothing inside may make another
    (the filter holds as well).
``PYTHON -P -s -S /geodl/worker/warden.py``
    The interpreter, isolated: no script folder, no user site, no ``site`` module (no .pth file
    runs); the warden's arguments follow: ``--control-fd N`` (the inherited control socket),
    ``--pidns`` (it has its own PID namespace), ``--site /geodl/site``, ``--scratch /tmp``, the
    :class:`WorkerOptions` (``--preload``, ``--core``, ``--small-pages``), and ``--nproc N``
    where no cgroup bounds the processes.

The environment is :func:`graders.sandbox.base.worker_env` alone; the sandbox enters its cgroup
between fork and exec (``preexec_fn``), so everything in it is counted.
"""
from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from graders.sandbox import seccomp
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

    def __init__(self, bwrap: str | None = None, *, syscall_filter: bool = True):
        self.bwrap = bwrap or shutil.which("bwrap") or "bwrap"
        #: install the seccomp filter (off only to measure what it costs)
        self.syscall_filter = syscall_filter

    def unavailable_reason(self) -> str | None:
        return _probe(self.bwrap, os.geteuid() == 0, self._filter_program() is not None)

    def _filter_program(self) -> bytes | None:
        """The seccomp program to install, or ``None`` (turned off, or an unknown architecture)."""
        if not self.syscall_filter or seccomp.unsupported_reason() is not None:
            return None
        return seccomp.program()

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        reason = self.unavailable_reason()
        if reason:
            from graders.errors import SandboxUnavailable
            raise SandboxUnavailable(reason, reference="sandbox-unavailable",
                                     hint="use --sandbox process for a local self-check")
        cgroup, reason = Cgroup.create(group_name(slot), memory_bytes=limits.memory_bytes, pids=limits.pids,
                                       cpus=limits.cpus)
        note = f"cgroup v{cgroup.version}" if cgroup is not None else f"rlimits only ({reason})"
        program = self._filter_program()
        if program is None:
            note += "; no seccomp filter" + (f" ({seccomp.unsupported_reason()})" if self.syscall_filter else "")
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()
        filter_fd: int | None = None
        join_fds: list[int] = []

        def enter_cgroup() -> None:  # runs in the child between fork and exec
            for fd in join_fds:
                os.write(fd, b"0")

        try:
            filter_fd = _memfd("geodl-seccomp", program) if program is not None else None
            argv = self.command(options, limits, slot=slot, rlimit_nproc=cgroup is None, control_fd=theirs.fileno(),
                                seccomp_fd=filter_fd)
            join_fds = cgroup.join_fds() if cgroup is not None else []
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                pass_fds=(theirs.fileno(),) if filter_fd is None else (theirs.fileno(), filter_fd),
                env=worker_env(limits),
                preexec_fn=enter_cgroup if join_fds else None,
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            ours.close()
            stderr.close()
            if cgroup is not None:
                cgroup.remove()
            raise
        finally:
            theirs.close()
            for fd in join_fds if filter_fd is None else [*join_fds, filter_fd]:
                os.close(fd)
        return SandboxProcess(popen, backend=self.name, control=ours, stderr=stderr, cgroup=cgroup, limits=limits,
                              limits_note=note)

    def command(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int, rlimit_nproc: bool,
                control_fd: int, seccomp_fd: int | None = None) -> list[str]:
        """The full ``bwrap ... -- python worker.py ...`` command line (the module's docstring
        says what each flag is for); ``seccomp_fd`` is an inherited file holding the filter."""
        packages = options.sandbox_packages()
        layout = current_layout(("nvidia-cudnn-cu12",) if limits.gpu and "torch" in packages else (),
                                packages=packages)
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
        if seccomp_fd is not None:
            args += ["--seccomp", str(seccomp_fd)]
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


def _memfd(name: str, data: bytes) -> int:
    """An anonymous file holding ``data``, read from its start (close it once passed on)."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    try:
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str, root: bool, syscall_filter: bool = True) -> str | None:
    """Run a trivial sandbox once (with the seccomp filter, where there is one); the reason it
    fails, or ``None`` if bubblewrap works here."""
    if shutil.which(bwrap) is None and not os.path.exists(bwrap):
        return "bubblewrap is not installed (Debian package 'bubblewrap')"
    unshare = ["--unshare-pid", "--unshare-net"] if root else ["--unshare-all"]
    filter_fd = _memfd("geodl-seccomp", seccomp.program()) if syscall_filter else None
    filtered = ["--seccomp", str(filter_fd)] if filter_fd is not None else []
    argv = [bwrap, *unshare, "--die-with-parent", *_system_binds(), "--proc", "/proc", "--dev", "/dev", *filtered,
            "--", "true"]
    if root:
        argv[-1:] = ["setpriv", f"--reuid={SLOT_UID_BASE}", f"--regid={SLOT_UID_BASE}", "--clear-groups", "true"]
    try:
        result = subprocess.run(argv, capture_output=True, timeout=30,
                                pass_fds=(filter_fd,) if filter_fd is not None else ())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start a sandbox: {exc}"
    finally:
        if filter_fd is not None:
            os.close(filter_fd)
    if result.returncode != 0:
        return f"bubblewrap could not start a sandbox: {result.stderr.decode(errors='replace').strip()[:300]}"
    return None
