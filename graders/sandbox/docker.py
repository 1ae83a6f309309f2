"""The Docker backend: the worker in a container of the image built from the repository's
``Dockerfile`` (``scripts/build-worker-image``), on the engine ``DOCKER_HOST`` names, else the
system's, else the private one ``scripts/docker-engine start`` runs.

It drives the ``docker`` CLI rather than the Python SDK: the command line is the documented
contract (DESIGN.md gives the limits as ``docker run`` flags, and :meth:`DockerSandbox.command`
is that line, testable as a list); the warden talks to the grader over a Unix socket, not over
the container's streams, so nothing of the SDK's attach machinery is needed; the CLI's process
lives exactly as long as its container (``alive()`` and the exit status come from it); and the
CLI ships with the engine (Debian's ``docker.io``), so no further Python dependency is pinned.

One container per worker, the warden (the fork server) its PID 1; a fresh session per
submission, forked inside it and cleaned up after as in the bwrap backend
(:meth:`graders.worker.warden.Warden.clean_up`: scratch, /dev/shm, /dev/mqueue and the System
V IPC objects of the container's own IPC namespace emptied and proved empty, or the warden
exits, and with it the container, and the grader starts a fresh one). ``docker run`` flag by flag:

``--rm``, ``--label geodl.owner=BOOT:PID``
    The engine removes the container once it exits. The warden exits when its control socket
    closes, so a grader that dies (even by SIGKILL) takes its containers with it; a container
    whose grader is gone is removed by the next :meth:`DockerSandbox.start` of this host (its
    label names the grader's process), and :meth:`_DockerProcess.terminate` removes it at once.
``--network none``
    Only a loopback interface: no network.
``--ipc private``, ``--shm-size BYTES``
    System V IPC and POSIX message queues of its own, and a private /dev/shm of the scratch size.
``--read-only``, ``--tmpfs /tmp:rw,nosuid,nodev,size=BYTES,mode=1777``
    The image read-only; the scratch space (the warden's, and the sessions' work folders) a
    size-capped tmpfs, wiped between sessions.
``--mount type=bind,source=DIR,target=/geodl-control,readonly``
    The folder of the grader's listening socket, read-only: the warden connects back once (the
    grader stops listening and removes the socket as soon as it has); sessions never hold it.
``--tmpfs /opt/geodl/dist/NAME:ro,...`` for each distribution the chapter does not allow
    The image installs each worker distribution in a folder of its own; those outside the
    chapter's allowed closure (:meth:`WorkerOptions.sandbox_packages`, as bwrap binds them) are
    covered by an empty read-only tmpfs, so no import finds them however it is spelled; the
    others are the warden's ``--site`` folders.
``--memory BYTES --memory-swap BYTES``, ``--pids-limit N``, ``--cpus N``
    The limits of the whole sandbox, in the container's cgroup (no swap beyond the memory).
``--ulimit nofile=N:N``
    Open files per process; each session sets its own rlimits (address space, CPU seconds,
    processes, file size: :meth:`SandboxLimits.session_limits`) before any student code runs.
``--cap-drop ALL``, ``--security-opt no-new-privileges``
    No capability, and none to gain through a setuid program.
``--user UID:UID``
    Non-root: uid ``SLOT_UID_BASE + slot``, one per parallel worker as in bwrap. RLIMIT_NPROC
    counts a uid's processes across the host, so containers sharing one uid (65534) would count
    each other's: a fork bomb in one would leave its neighbour's session no thread to start.
(no ``--security-opt seccomp=...``)
    Docker's default seccomp profile: without capabilities it refuses new namespaces
    (``unshare``, ``clone`` with namespace flags), ``mount``, ``keyctl``, ``bpf``, ``ptrace`` of
    a non-dumpable process (the warden) and the kernel-module calls; unlike bwrap's own filter
    it allows ``ptrace`` of the same uid's dumpable processes and ``process_vm_readv``.
``--log-driver none``, ``--hostname sandbox``, ``--workdir /tmp``, ``--env ...``
    Nothing the container writes is stored by the engine (the CLI's copy of the warden's
    stderr is kept for errors; sessions write into their own size-capped output file, and the
    warden, non-dumpable, has no /proc/1/fd for them to open); the environment is
    :func:`graders.sandbox.base.worker_env`.
(no ``--init``)
    The warden is PID 1: it reaps the orphans of sessions, and a session cannot signal it
    (the kernel drops signals that PID 1 of a namespace does not handle).
``--gpus all`` (GPU workers)
    The NVIDIA devices and driver, through the NVIDIA container toolkit of the host, into
    ``geodl-worker:cuda`` (torch's CUDA wheel with its nvidia-* libraries).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
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
from graders.sandbox.environment import allowed_distributions

DEFAULT_IMAGE = "geodl-worker:latest"
CUDA_IMAGE = "geodl-worker:cuda"
#: Names the image to run instead of :data:`DEFAULT_IMAGE` / :data:`CUDA_IMAGE`.
IMAGE_VARIABLE = "GEODL_DOCKER_IMAGE"
#: The private engine's folder (``scripts/docker-engine``), where its socket is.
ENGINE_ROOT_VARIABLE = "GEODL_DOCKER_ROOT"
DEFAULT_ENGINE_ROOT = "/var/tmp/geodl-docker"
SYSTEM_HOST = "unix:///var/run/docker.sock"
#: One folder per worker distribution in the image (the Dockerfile installs them so).
DIST_DIR = "/opt/geodl/dist"
CONTROL_DIR = "/geodl-control"
#: Base uid of the containers' users (the slot is added); bwrap's start at 61000.
SLOT_UID_BASE = 62000
OWNER_LABEL = "geodl.owner"
WORKER_LABEL = "geodl.worker-sha256"
DISTRIBUTIONS_LABEL = "geodl.distributions"
#: How the grader's socket folders are named: ``geodl-docker-<pid>-...`` in the temporary folder.
SOCKET_DIR_PREFIX = "geodl-docker-"
CLI_TIMEOUT_S = 60.0


def worker_digest() -> str:
    """The SHA-256 of the worker (the ``.py`` files of ``graders/worker/``, names and contents):
    an image labelled with another was built from another worker, and is refused."""
    digest = hashlib.sha256()
    for path in sorted(WORKER_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def canonical(name: str) -> str:
    """A distribution's name as pip normalizes it (and the image names its folder).

    >>> canonical("typing_extensions"), canonical("Jinja2")
    ('typing-extensions', 'jinja2')
    """
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclasses.dataclass(frozen=True)
class Engine:
    """A Docker engine reached through the ``docker`` CLI at ``host`` (a ``DOCKER_HOST`` URL)."""

    docker: str
    host: str

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    def run(self, *args: str, timeout_s: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess:
        """``docker ARGS`` with its output captured (``OSError``/``TimeoutExpired`` as raised)."""
        return subprocess.run([self.docker, *args], capture_output=True, timeout=timeout_s, env=self.env(),
                              stdin=subprocess.DEVNULL)


def engine_hosts() -> list[str]:
    """Where to look for an engine, in order: ``DOCKER_HOST`` alone when set; else the system's
    socket and the private engine's (``scripts/docker-engine``)."""
    if os.environ.get("DOCKER_HOST"):
        return [os.environ["DOCKER_HOST"]]
    root = os.environ.get(ENGINE_ROOT_VARIABLE) or DEFAULT_ENGINE_ROOT
    return [SYSTEM_HOST, f"unix://{root}/docker.sock"]


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1][:300] if lines else f"exit status {result.returncode}"


@functools.lru_cache(maxsize=None)
def find_engine(docker: str) -> tuple[Engine | None, str]:
    """The first engine of :func:`engine_hosts` that answers, or ``(None, why not)``."""
    if shutil.which(docker) is None and not os.path.exists(docker):
        return None, "the docker CLI is not installed (Debian package docker.io; scripts/install installs it)"
    problems = []
    for host in engine_hosts():
        if host.startswith("unix://") and not os.path.exists(host[len("unix://"):]):
            problems.append(f"{host}: no socket")
            continue
        engine = Engine(docker, host)
        try:
            answer = engine.run("version", "--format", "{{.Server.Version}}", timeout_s=20)
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"{host}: {exc}")
            continue
        if answer.returncode == 0:
            return engine, ""
        problems.append(f"{host}: {_last_line(answer)}")
    return None, f"no Docker engine answers ({'; '.join(problems)}); start one: scripts/docker-engine start"


@functools.lru_cache(maxsize=None)
def image_labels(engine: Engine, image: str) -> tuple[dict[str, str] | None, str]:
    """The labels of ``image`` on ``engine``, or ``(None, why it cannot be used)``."""
    try:
        found = engine.run("image", "inspect", "--format", "{{json .Config.Labels}}", image, timeout_s=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"the engine did not answer about the image {image}: {exc}"
    if found.returncode != 0:
        return None, f"the image {image} is not built; build it: scripts/build-worker-image"
    labels = json.loads(found.stdout or b"null") or {}
    if labels.get(WORKER_LABEL) != worker_digest():
        return None, (f"the image {image} holds another version of graders/worker/ than this grader's; "
                      f"rebuild it: scripts/build-worker-image")
    if not labels.get(DISTRIBUTIONS_LABEL):
        return None, f"the image {image} has no {DISTRIBUTIONS_LABEL} label: build it with scripts/build-worker-image"
    return labels, ""


class DockerSandbox(Sandbox):
    """Workers in containers of ``image`` (default: ``$GEODL_DOCKER_IMAGE``, else
    :data:`DEFAULT_IMAGE`, or :data:`CUDA_IMAGE` for a GPU sandbox)."""

    name = "docker"
    isolates_pids = True

    def __init__(self, image: str | None = None, docker: str = "docker"):
        self.image = image
        self.docker = docker

    def image_for(self, limits: SandboxLimits | None = None) -> str:
        if self.image:
            return self.image
        return os.environ.get(IMAGE_VARIABLE) or (CUDA_IMAGE if limits is not None and limits.gpu else DEFAULT_IMAGE)

    def unavailable_reason(self) -> str | None:
        return self._reason(self.image_for())

    def _reason(self, image: str) -> str | None:
        engine, reason = find_engine(self.docker)
        if engine is None:
            return reason
        labels, reason = image_labels(engine, image)
        return None if labels is not None else reason

    def command(self, options: WorkerOptions, limits: SandboxLimits, *, name: str, socket_dir: str, slot: int = 0,
                distributions: tuple[str, ...] = (), owner: str = "") -> list[str]:
        """The full ``docker run ... python3 warden.py ...`` command line (the module's docstring
        says what each flag is for). ``distributions`` are the folders of the image's
        :data:`DIST_DIR` (its ``geodl.distributions`` label): those the chapter allows become
        ``--site`` folders, the others are covered."""
        allowed = {canonical(n) for n in allowed_distributions(options.sandbox_packages())}
        sites = [d for d in distributions if d in allowed]
        hidden = [d for d in distributions if d not in allowed]
        uid = SLOT_UID_BASE + slot
        args = [
            self.docker, "run", "--rm", "--name", name, "--label", f"{OWNER_LABEL}={owner}",
            "--hostname", "sandbox", "--network", "none", "--ipc", "private",
            "--read-only", "--tmpfs", f"/tmp:rw,nosuid,nodev,size={limits.scratch_bytes},mode=1777",
            "--shm-size", str(limits.scratch_bytes),
            "--mount", f"type=bind,source={socket_dir},target={CONTROL_DIR},readonly",
            "--memory", str(limits.memory_bytes), "--memory-swap", str(limits.memory_bytes),
            "--pids-limit", str(limits.pids), "--cpus", f"{limits.cpus:g}",
            "--ulimit", f"nofile={limits.nofile}:{limits.nofile}",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "--user", f"{uid}:{uid}", "--log-driver", "none", "--workdir", "/tmp",
        ]
        for folder in hidden:
            args += ["--tmpfs", f"{DIST_DIR}/{folder}:ro,nosuid,nodev,noexec,size=4k,mode=0555"]
        for key, value in worker_env(limits).items():
            if key != "LD_LIBRARY_PATH":  # the host's library folders mean nothing in the image
                args += ["--env", f"{key}={value}"]
        if limits.gpu:
            args += ["--gpus", "all"]
        args += [self.image_for(limits), "python3", "-P", "-s", "-S", f"/geodl/worker/{WORKER_MAIN}",
                 "--connect", f"{CONTROL_DIR}/control.sock", "--pidns"]
        for folder in sites:
            args += ["--site", f"{DIST_DIR}/{folder}"]
        args += ["--scratch", "/tmp", *options.warden_args()]
        return args

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        image = self.image_for(limits)
        reason = self._reason(image)
        engine, _ = find_engine(self.docker)
        if reason or engine is None:
            from graders.errors import SandboxUnavailable
            raise SandboxUnavailable(reason or "no Docker engine answers", reference="sandbox-unavailable",
                                     hint="scripts/docker-engine start, then scripts/build-worker-image")
        labels, _ = image_labels(engine, image)
        distributions = tuple((labels or {}).get(DISTRIBUTIONS_LABEL, "").split())
        sweep_abandoned(engine)
        name = f"geodl-{os.getpid()}-{slot}-{uuid.uuid4().hex[:8]}"
        socket_dir = Path(tempfile.mkdtemp(prefix=f"{SOCKET_DIR_PREFIX}{os.getpid()}-"))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stderr = tempfile.TemporaryFile()
        try:
            socket_dir.chmod(0o755)
            listener.bind(str(socket_dir / "control.sock"))
            (socket_dir / "control.sock").chmod(0o777)  # the container's uid connects; the folder is read-only there
            listener.listen(1)
            argv = self.command(options, limits, name=name, socket_dir=str(socket_dir), slot=slot,
                                distributions=distributions, owner=owner_label())
            popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                     env=engine.env(), start_new_session=True, close_fds=True)
        except BaseException:
            listener.close()
            stderr.close()
            shutil.rmtree(socket_dir, ignore_errors=True)
            raise
        note = "docker: the engine's cgroup (memory, pids, cpus); Docker's default seccomp profile"
        return _DockerProcess(popen, backend=self.name, control=listener, stderr=stderr, limits=limits,
                              engine=engine, container=name, socket_path=socket_dir / "control.sock",
                              cleanup_paths=(socket_dir,), limits_note=note)


class _DockerProcess(SandboxProcess):
    """A container: the ``docker run`` CLI attached to it (alive as long as it is), the listening
    socket the warden connects back to, and the container's removal when it ends."""

    def __init__(self, popen: subprocess.Popen, *, engine: Engine, container: str, socket_path: Path, **kwargs):
        super().__init__(popen, **kwargs)
        self.engine, self.container, self.socket_path = engine, container, socket_path
        self.listener = self.control

    def connect_control(self, deadline: float) -> socket.socket:
        """Wait for the warden to connect (``TimeoutError`` after ``deadline``; ``OSError`` at
        once if the container ends first), then stop listening and remove the socket."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the container {self.container}'s warden did not connect in time")
            ready, _, _ = select.select([self.listener], [], [], min(0.2, remaining))
            if ready:
                break
            if self.popen.poll() is not None:
                raise ConnectionAbortedError(f"the container {self.container} ended before its warden connected")
        connection, _ = self.listener.accept()
        self.listener.close()
        try:
            self.socket_path.unlink()
        except OSError:
            pass
        self.control = connection
        return connection

    def exit_reason(self) -> str:
        code = self.popen.poll()
        if code is None:
            return "the sandbox is still running"
        if code == 125:
            return f"docker could not start the container: {self.stderr_tail(600).strip()[-300:]}"
        if code in (126, 127):
            return f"the container could not run the warden (status {code}): {self.stderr_tail(600).strip()[-300:]}"
        if code > 128:
            try:
                name = signal.Signals(code - 128).name
            except ValueError:
                name = f"signal {code - 128}"
            memory = " (usually the memory limit)" if code - 128 == signal.SIGKILL else ""
            return f"the sandbox was killed by {name}{memory}"
        return f"the sandbox exited with status {code}"

    def terminate(self) -> None:
        """Remove the container (killed first), then end the CLI and remove the socket folder:
        nothing of it is left when this returns. Idempotent."""
        if self._ended:
            return
        remove_container(self.engine, self.container)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        super().terminate()


def remove_container(engine: Engine, name: str, *, timeout_s: float = 20.0) -> None:
    """Kill and remove the container ``name``; return once the engine no longer has it (or
    after ``timeout_s``). One the engine is removing already (``--rm``) is waited for."""
    try:
        engine.run("rm", "-f", name)
        deadline = time.monotonic() + timeout_s
        while engine.run("container", "inspect", "--format", "{{.Id}}", name, timeout_s=20).returncode == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
    except (OSError, subprocess.TimeoutExpired):
        pass


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return "unknown"


def owner_label() -> str:
    """``BOOT:PID``: the grading process that owns a container, on this boot of this host."""
    return f"{_boot_id()}:{os.getpid()}"


_SWEPT: set[Engine] = set()


def sweep_abandoned(engine: Engine) -> list[str]:
    """Remove the containers (and socket folders) of grading processes of this host that no
    longer exist: what a grader killed before it could remove them left (its containers end by
    themselves once their control socket closes; this removes what is left of them). Once per
    engine and process; returns the containers removed."""
    if engine in _SWEPT:
        return []
    _SWEPT.add(engine)
    removed: list[str] = []
    try:
        listing = engine.run("ps", "-a", "--filter", f"label={OWNER_LABEL}",
                             "--format", f'{{{{.Names}}}} {{{{.Label "{OWNER_LABEL}"}}}}', timeout_s=20)
    except (OSError, subprocess.TimeoutExpired):
        return removed
    boot = _boot_id()
    for line in listing.stdout.decode(errors="replace").splitlines():
        name, _, owner = line.partition(" ")
        owner_boot, _, pid = owner.partition(":")
        if owner_boot == boot and pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            remove_container(engine, name)
            removed.append(name)
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKET_DIR_PREFIX}*-*"):
        pid = folder.name[len(SOCKET_DIR_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            shutil.rmtree(folder, ignore_errors=True)
    return removed
