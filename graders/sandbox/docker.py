"""The Docker backend: the same limits as ``docker run`` flags, with the image built from the
repository's ``Dockerfile`` (``docker build -t geodl-worker .``).

The container gets no network, a read-only root file system, a size-capped tmpfs at /tmp,
memory/pids/CPU limits, no capabilities, ``no-new-privileges``, a non-root user, and ``--init``
as PID 1 (so the warden may kill every other process of the container between sessions).
GPU workers add ``--gpus all``.

Two guarantees of the bwrap backend this one does not give yet:

* **Only the chapter's packages.** The image installs every worker distribution into one folder
  (``/opt/geodl/site``), so :attr:`WorkerOptions.packages` is not enforced here: a package every
  exercise forbids (torch in ch06) is still in the container, and its ban rests on the static
  scan, the session's import hook and the grader's check of the worker's report, as in bwrap for
  a package only some exercises forbid. Enforcing it takes one of: an image per package set
  (``geodl-worker:numpy-scipy-sympy`` built from a requirements file per set, chosen here from
  ``options.sandbox_packages()``); or a Dockerfile that installs each worker distribution's
  closure into a folder of its own (``pip install --target /opt/geodl/pkg/<name>``), this
  backend then passing one ``--site`` per allowed folder and mounting an empty read-only tmpfs
  (``--mount type=tmpfs,destination=/opt/geodl/pkg/torch,tmpfs-mode=0555``) over each forbidden
  one, so that its files are not in the container's view at all.
* **Our seccomp filter.** Docker applies its default seccomp profile (unless run with
  ``seccomp=unconfined``), which already refuses ``unshare``/``clone`` with namespace flags,
  ``mount``, ``keyctl``, ``bpf``, ``userfaultfd`` and the kernel-module and kexec calls to a
  container without capabilities, but allows ``ptrace`` and ``process_vm_readv``/``writev``
  (kernels from 4.8) and, on engines before 25.0, ``io_uring``. The same deny list
  (:data:`graders.sandbox.seccomp.DENIED`) can be added as a JSON profile, Docker's default
  with those calls moved to ``SCMP_ACT_ERRNO``, passed as ``--security-opt seccomp=PROFILE``.
"""
from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from graders.sandbox.base import Sandbox, SandboxLimits, SandboxProcess, WorkerOptions

DEFAULT_IMAGE = "geodl-worker:latest"
CONTAINER_SITE = "/opt/geodl/site"


class DockerSandbox(Sandbox):
    name = "docker"
    isolates_pids = True

    def __init__(self, image: str = DEFAULT_IMAGE, docker: str = "docker"):
        self.image = image
        self.docker = docker

    def unavailable_reason(self) -> str | None:
        return _probe(self.docker, self.image)

    def command(self, options: WorkerOptions, limits: SandboxLimits, *, name: str, socket_dir: str) -> list[str]:
        """The ``docker run`` command line for one warden; it connects back to the grader over
        a Unix socket in ``socket_dir`` (bind-mounted at /geodl-control)."""
        args = [
            self.docker, "run", "--rm", "-i", "--name", name,
            "--network", "none",
            "--read-only",
            "--tmpfs", f"/tmp:rw,nosuid,nodev,size={limits.scratch_bytes},mode=1777",
            "--volume", f"{socket_dir}:/geodl-control",
            "--memory", str(limits.memory_bytes),
            "--memory-swap", str(limits.memory_bytes),
            "--pids-limit", str(limits.pids),
            "--cpus", f"{limits.cpus:g}",
            "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges",
            "--user", "65534:65534",
            "--init",
            "--ulimit", f"nofile={limits.nofile}:{limits.nofile}",
            "--env", "PYTHONHASHSEED=0", "--env", "OMP_NUM_THREADS=1", "--env", "OPENBLAS_NUM_THREADS=1",
            "--env", "MKL_NUM_THREADS=1", "--env", "HOME=/tmp", "--env", "PYTHONDONTWRITEBYTECODE=1",
        ]
        if limits.gpu:
            args += ["--gpus", "all"]
        else:
            args += ["--env", "CUDA_VISIBLE_DEVICES="]
        args += [self.image, "python", "-P", "-s", "-S", "/geodl/worker/warden.py",
                 "--connect", "/geodl-control/control.sock",
                 "--pidns", "--site", CONTAINER_SITE, "--scratch", "/tmp", *options.warden_args()]
        return args

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        reason = self.unavailable_reason()
        if reason:
            from graders.errors import SandboxUnavailable
            raise SandboxUnavailable(reason, reference="sandbox-unavailable")
        name = f"geodl-{slot}-{uuid.uuid4().hex[:10]}"
        socket_dir = Path(tempfile.mkdtemp(prefix="geodl-docker-"))
        socket_dir.chmod(0o755)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(socket_dir / "control.sock"))
        (socket_dir / "control.sock").chmod(0o777)
        listener.listen(1)
        stderr = tempfile.TemporaryFile()
        popen = subprocess.Popen(self.command(options, limits, name=name, socket_dir=str(socket_dir)),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                 start_new_session=True)
        return _DockerProcess(popen, backend=self.name, control=listener, stderr=stderr, limits=limits,
                              docker=self.docker, container=name, cleanup_paths=(socket_dir,))


class _DockerProcess(SandboxProcess):
    """The warden connects back to a listening socket; ending the client is not enough, so the
    container is removed with ``docker rm -f``."""

    def __init__(self, popen, *, docker: str, container: str, **kwargs):
        super().__init__(popen, **kwargs)
        self.docker, self.container = docker, container
        self.listener = self.control

    def connect_control(self, deadline: float) -> socket.socket:
        self.listener.settimeout(max(0.1, deadline - time.monotonic()))
        connection, _ = self.listener.accept()
        self.listener.close()
        self.control = connection
        return connection

    def terminate(self) -> None:
        subprocess.run([self.docker, "rm", "-f", self.container], capture_output=True, timeout=60)
        super().terminate()


@functools.lru_cache(maxsize=None)
def _probe(docker: str, image: str) -> str | None:
    if shutil.which(docker) is None:
        return "the docker CLI is not installed"
    try:
        info = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"no Docker engine answers ({exc})"
    if info.returncode != 0:
        detail = info.stderr.decode(errors="replace").strip().splitlines()
        return f"no Docker engine answers ({detail[-1] if detail else 'docker info failed'})"
    image_check = subprocess.run([docker, "image", "inspect", image], capture_output=True, timeout=20)
    if image_check.returncode != 0:
        return f"the image {image} is not built; run: docker build -t {image} ."
    return None
