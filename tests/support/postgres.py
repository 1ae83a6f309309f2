"""A private PostgreSQL server for tests: a throw-away cluster in a temporary folder, reached only
through a unix socket in that folder (``listen_addresses=''``: no TCP port is opened, so it cannot
clash with any other server), stopped and removed when the test session ends.

It runs Debian's ``postgresql`` package (``scripts/install`` installs it). ``initdb`` refuses to
run as root, so under root the cluster belongs to the ``postgres`` user the package creates, and
its commands run as that user; any other user runs them as herself. Authentication is ``trust``:
the socket's folder is private to the cluster's owner (and root).
"""
from __future__ import annotations

import dataclasses
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

#: The database the tests get (created empty in the new cluster).
DATABASE = "geodl_test"
#: The cluster's superuser (``initdb -U``), whatever OS user owns it.
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot run here; the message says why, in one line."""


@dataclasses.dataclass
class PrivateServer:
    """A running private cluster: its folder (data, socket, log) and how to reach it."""

    root: Path
    bin_dir: Path
    owner: str | None  #: the OS user the commands run as (None: this process's own)
    start_s: float     #: seconds initdb, pg_ctl start and createdb took together

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, database: str = DATABASE) -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3, over the unix socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        """Stop the server (fast shutdown; killed if it does not go) and remove its folder."""
        try:
            _run(self, "pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "-t", "20", "stop")
        except (PostgresUnavailable, subprocess.TimeoutExpired):
            _kill_postmaster(self.root / "data")
        shutil.rmtree(self.root, ignore_errors=True)


def postgres_bin_dir() -> Path | None:
    """The folder of the newest installed PostgreSQL's ``initdb`` and ``pg_ctl`` (Debian keeps
    them in ``/usr/lib/postgresql/<major>/bin``, off ``PATH``), else the one on ``PATH``; None if none."""
    found = [Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin")
             if all(os.access(Path(d) / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "createdb"))]
    if found:
        return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def start_private_server() -> PrivateServer:
    """Create, start and return a private cluster with an empty :data:`DATABASE`; raises
    :class:`PostgresUnavailable` with the reason where it cannot."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("PostgreSQL's initdb/pg_ctl are not installed (scripts/install installs them)")
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no 'postgres' user to own a cluster") from None
        owner = "postgres"
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="geodl-pg-"))  # short: a socket's path has at most 107 bytes
    if owner:
        shutil.chown(root, owner, owner)
    server = PrivateServer(root, bin_dir, owner, 0.0)
    try:
        _run(server, "initdb", "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
             "-D", str(root / "data"))
        options = f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _run(server, "pg_ctl", "-D", str(root / "data"), "-l", str(root / "server.log"), "-w", "-t", "30",
             "-o", options, "start")
        _run(server, "createdb", "-h", str(root), "-U", SUPERUSER, DATABASE)
    except (PostgresUnavailable, subprocess.TimeoutExpired, OSError) as error:
        log = root / "server.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        server.stop()
        raise PostgresUnavailable(f"PostgreSQL did not start: {str(error).strip()} {' '.join(tail)}".strip()) from None
    server.start_s = time.perf_counter() - started
    return server


def _run(server: PrivateServer, tool: str, *args: str) -> None:
    """Run one of the server's commands as its owner; raises PostgresUnavailable with its last
    line of output where it fails."""
    user = {"user": server.owner, "group": server.owner, "extra_groups": []} if server.owner else {}
    done = subprocess.run([str(server.bin_dir / tool), *args], cwd=server.root, capture_output=True, text=True,
                          timeout=60, **user)  # type: ignore[call-overload]  # user=/group= only under root
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise PostgresUnavailable(f"{tool}: {last[0]}")


def _kill_postmaster(data: Path) -> None:
    """Kill the server whose pid ``data/postmaster.pid`` names, if it is still there."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 9)
    except (OSError, ValueError, IndexError):
        pass
