"""The sandbox interface every backend implements, and the limits they enforce."""
from __future__ import annotations

import abc
import dataclasses
import os
import signal
import socket
import subprocess
from pathlib import Path
from typing import IO, ClassVar

import graders.worker
from graders.sandbox.cgroups import Cgroup
from graders.sandbox.environment import REQUIRED_DISTRIBUTIONS, WORKER_DISTRIBUTIONS

#: Everything of geodl that enters a sandbox: the ``graders/worker/`` folder, bound (or copied)
#: whole as the package ``worker``, with ``warden.py`` as its main script. The trust boundary is
#: this folder: nothing else of the grader is ever visible to student code.
WORKER_DIR = Path(graders.worker.__file__).resolve().parent
WORKER_MAIN = "warden.py"

GiB = 2**30
MiB = 2**20

#: Modules the warden imports once, before forking any session.
DEFAULT_PRELOAD = (
    "numpy", "scipy", "scipy.linalg", "scipy.optimize", "scipy.special", "scipy.sparse",
    "scipy.stats", "sympy", "torch", "torch.nn", "torch.optim", "torch.func", "msgpack",
)


@dataclasses.dataclass(frozen=True)
class SandboxLimits:
    """What one sandbox (a warden and the sessions it forks) may use.

    ``memory_bytes`` and ``pids`` bound the whole sandbox through its cgroup; the ``session_*``
    values are rlimits set in each session before student code runs, so that the common case
    (one runaway allocation, a fork loop) ends as a clear error rather than a killed sandbox.
    """

    memory_bytes: int = 3 * GiB           #: cgroup memory limit of the whole sandbox
    pids: int = 256                       #: cgroup pids limit of the whole sandbox
    cpus: float = 1.0                     #: cgroup CPU quota, in cores
    scratch_bytes: int = 256 * MiB        #: size of the private tmpfs
    session_memory_bytes: int = 1 * GiB   #: address space a session may add (RLIMIT_AS)
    session_nproc: int = 32               #: processes/threads a session may add (RLIMIT_NPROC)
    session_cpu_s: float = 300.0          #: CPU seconds per session (RLIMIT_CPU)
    output_bytes: int = 1 * MiB           #: largest file a session may write, its output included
    nofile: int = 256                     #: open file descriptors per process
    #: largest reply a session may send: its encoder refuses more, the grader refuses a longer frame at
    #: its header and decodes a shorter one within 8 bytes a byte (graders.worker.wire.Decoder)
    reply_bytes: int = 64 * MiB
    gpu: bool = False                     #: bind the NVIDIA device nodes in

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "gpu":
                if not isinstance(value, bool):
                    raise TypeError(f"gpu={value!r} must be a bool")
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{field.name}={value!r} must be a positive number; pick a larger limit rather than 0")

    def session_limits(self) -> dict:
        """The rlimits a session applies to itself (sent in the ``open`` control message).

        GPU sessions get no address-space limit: initialising CUDA reserves far more virtual
        memory than any sensible RLIMIT_AS; their memory is bounded by the sandbox's cgroup.
        """
        return {
            "memory_bytes": 0 if self.gpu else int(self.session_memory_bytes),
            "cpu_s": float(self.session_cpu_s),
            "file_bytes": int(self.output_bytes),
            "nproc": int(self.session_nproc),
            "nofile": int(self.nofile),
            "max_reply_bytes": int(self.reply_bytes),
        }


@dataclasses.dataclass(frozen=True)
class WorkerOptions:
    """What the warden is told at start: what to preload, the CPU to keep to once it has, and
    whether to put its heap on huge pages then; and which Python packages its sandbox holds.

    A grading process pinned to a core starts its sandbox before pinning itself, so that the
    warden's imports run beside its own on another core; with ``core`` the warden then moves
    itself (and so every session it forks) to that core, where grader and session take turns.

    ``packages`` names the worker distributions
    (:data:`~graders.sandbox.environment.WORKER_DISTRIBUTIONS`: numpy, scipy, torch, sympy,
    msgpack) whose files the sandbox holds, with what they require; the others are not in it at
    all, so no import, however it is spelled, finds them. A chapter's are
    :attr:`graders.grading.spec.Chapter.sandbox_packages` (those not every exercise forbids).
    Left ``None``, they are those the preloaded modules come from. numpy and msgpack are always
    in (the worker itself imports them). The bwrap backend enforces it; the process backend (no
    security boundary) sees the host's packages whatever this says.
    """

    preload: tuple[str, ...] = DEFAULT_PRELOAD
    core: int | None = None
    #: back the warden's heap with huge pages before forking sessions (``worker.collapse_heap``)
    huge_pages: bool = True
    #: the worker distributions the sandbox holds (``None``: those of ``preload``); see above
    packages: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.packages is not None:
            unknown = sorted(set(self.packages) - set(WORKER_DISTRIBUTIONS))
            if unknown:
                raise ValueError(f"packages={self.packages!r}: {', '.join(unknown)} is not a worker distribution "
                                 f"(choose among {', '.join(WORKER_DISTRIBUTIONS)})")

    def sandbox_packages(self) -> tuple[str, ...]:
        """The worker distributions the sandbox holds, in :data:`WORKER_DISTRIBUTIONS` order.

        >>> WorkerOptions(preload=("numpy", "scipy.linalg")).sandbox_packages()
        ('numpy', 'scipy', 'msgpack')
        >>> WorkerOptions(packages=("torch",)).sandbox_packages()
        ('numpy', 'torch', 'msgpack')
        """
        wanted = set(self.packages) if self.packages is not None else {m.split(".")[0] for m in self.preload}
        wanted |= set(REQUIRED_DISTRIBUTIONS)
        return tuple(name for name in WORKER_DISTRIBUTIONS if name in wanted)

    def warden_args(self) -> list[str]:
        """The warden's command-line arguments for these options."""
        args = ["--preload", ",".join(self.preload)]
        if self.core is not None:
            args += ["--core", str(self.core)]
        if not self.huge_pages:
            args.append("--small-pages")
        return args


class SandboxProcess:
    """A running sandbox: the warden's pipes, plus everything needed to end it for good."""

    def __init__(self, popen: subprocess.Popen, *, backend: str, control: socket.socket, stderr: IO[bytes],
                 cgroup: Cgroup | None = None, cleanup_paths: tuple[Path, ...] = (), limits: SandboxLimits,
                 limits_note: str = ""):
        self.popen = popen
        #: how the limits are enforced here ("cgroup v1", "rlimits only: <why>")
        self.limits_note = limits_note
        self.stderr = stderr
        self.backend = backend
        self.control = control
        self.cgroup = cgroup
        self.cleanup_paths = cleanup_paths
        self.limits = limits
        self._ended = False

    def connect_control(self, deadline: float) -> socket.socket:
        """The connected control socket of the warden (backends that listen accept here)."""
        return self.control

    def alive(self) -> bool:
        return self.popen.poll() is None

    def exit_reason(self) -> str:
        """Why the sandbox died, in words: the memory limit, a signal, an exit code."""
        if self.cgroup is not None and self.cgroup.oom_kills() > 0:
            return f"the sandbox hit its memory limit ({self.limits.memory_bytes / GiB:.1f} GiB)"
        code = self.popen.poll()
        if code is None:
            return "the sandbox is still running"
        if code < 0:
            return f"the sandbox was killed by signal {signal.Signals(-code).name}"
        return f"the sandbox exited with status {code}"

    def stderr_tail(self, limit: int = 4000) -> str:
        """The end of what the warden wrote to stderr (a temporary file, never a pipe that fills)."""
        try:
            size = self.stderr.seek(0, 2)
            self.stderr.seek(max(0, size - limit))
            return self.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def terminate(self) -> None:
        """Kill every process of the sandbox and release its cgroup and files. Idempotent."""
        if self._ended:
            return
        self._ended = True
        self._kill_tree()
        if self.cgroup is not None:
            self.cgroup.kill_all()
            self.cgroup.remove()
        try:
            self.control.close()
        except OSError:
            pass
        for path in self.cleanup_paths:
            _remove_tree(path)

    def _kill_tree(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.popen.kill()
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def gpu_present(dev: Path = Path("/dev")) -> bool:
    """Whether this host has an NVIDIA device node (``/dev/nvidia0``...): only then does a GPU
    exercise get a GPU sandbox (the device nodes bound in, no address-space limit); elsewhere its
    sandbox is a CPU one and its ``gpu=True`` checks are skipped.

    >>> gpu_present(Path("/nonexistent"))
    False
    """
    return any(dev.glob("nvidia[0-9]*"))


def _remove_tree(path: Path) -> None:
    import shutil
    shutil.rmtree(path, ignore_errors=True)


class Sandbox(abc.ABC):
    """A way to run the worker isolated from the grader. Backends: bwrap, docker, process."""

    name: ClassVar[str]
    #: True when the backend gives the warden its own PID namespace (kill(-1) is then safe).
    isolates_pids: ClassVar[bool] = False

    @abc.abstractmethod
    def unavailable_reason(self) -> str | None:
        """``None`` if this backend can run here, else one line saying why not."""

    @abc.abstractmethod
    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        """Start a warden in a fresh sandbox, with a control socket to it. ``slot``
        distinguishes parallel sandboxes (each gets its own uid where the backend can give one)."""


def worker_env(limits: SandboxLimits) -> dict[str, str]:
    """The whole environment of the warden: nothing from the grader's leaks in."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "USER": "geodl",      # the sandbox uid has no passwd entry; getpass.getuser() reads these
        "LOGNAME": "geodl",
        "TORCHINDUCTOR_CACHE_DIR": "/tmp/torchinductor",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "VECLIB_MAXIMUM_THREADS": "1",
    }
    if limits.gpu:
        # Ask NVML, not the CUDA driver, whether a device exists: a driver call in the warden
        # would poison every forked session ("Cannot re-initialize CUDA in forked subprocess").
        env["PYTORCH_NVML_BASED_CUDA_CHECK"] = "1"
        # torch's optimizer warm-up imports torch._dynamo, which initialises the CUDA driver:
        # a GPU warden only imports torch, and sessions import the rest on first use.
        env["GEODL_WARM_TORCH"] = "0"
        # The driver's libraries may live outside the loader's default paths.
        for name in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES"):
            if os.environ.get(name) is not None:
                env[name] = os.environ[name]
    else:
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env
