"""graders/batch/dask_cluster.py on a cluster started the way a department starts one: ``dask
scheduler`` and ``dask worker`` as processes of their own (Dask's command line, on loopback
ports), ``geodl batch --executor dask --scheduler ADDRESS`` as a TA types it. The bundled ch06
class spreads over both workers and gets its recorded verdicts; the tasks of a chapter with a GPU
exercise land only on the worker started with ``--resources GPU=1``; a worker killed mid-batch
costs nothing: the batch finishes, every submission has one result, stored once; a worker in a
container (host networking, its own bubblewrap sandboxes inside) joins and grades like the others.

Marked slow (processes, a cluster): ``scripts/test-slow`` runs them."""
from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from graders.authoring.samples import write_class
from graders.batch.dask_cluster import GPU_RESOURCE, START_TOPIC, probe_scheduler
from graders.chapters import load_chapter
from graders.sandbox.base import gpu_present
from tests.support.docker import docker_engine  # noqa: F401 - the session's engine and worker image

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "class-ch06" / "submitted"
RECORDED = Path(__file__).resolve().parent / "class-ch06-verdicts.csv"
DASK = Path(sys.executable).parent / "dask"
#: How long a scheduler or worker may take to start, and a batch to finish (seconds).
START_S, BATCH_S = 60.0, 300.0


@dataclasses.dataclass
class DaskCluster:
    """``dask scheduler`` and ``dask worker`` processes, each the leader of a process group of its
    own (a worker's nanny, the worker it spawns and that worker's sandboxes), logging under ``root``."""

    root: Path
    address: str = ""
    processes: dict[str, subprocess.Popen] = dataclasses.field(default_factory=dict)

    def start_scheduler(self) -> str:
        scheduler_file = self.root / "scheduler.json"
        self._start("scheduler", [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file)])
        self.address = _wait_for(lambda: scheduler_file.exists() and json.loads(scheduler_file.read_text())["address"],
                                 f"dask scheduler to write {scheduler_file}", self._log_tail("scheduler"))
        return self.address

    def start_worker(self, name: str, *extra: str) -> subprocess.Popen:
        """``dask worker`` named ``name`` (one process, one thread), waited for until the scheduler lists it."""
        process = self._start(name, [str(DASK), "worker", self.address, "--name", name, "--nthreads", "1",
                                     "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard",
                                     "--dashboard-address", "127.0.0.1:0", "--death-timeout", "60",
                                     "--local-directory", str(self.root / f"{name}-space"), *extra])
        _wait_for(lambda: name in probe_scheduler(self.address).workers, f"dask worker {name} to register",
                  self._log_tail(name))
        return process

    def kill(self, name: str) -> None:
        """SIGKILL ``name``'s whole process group: its nanny, its worker, its sandboxes at once."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> list[str]:
        """End every process group (SIGTERM, then SIGKILL after 10 s); the names of those with a
        process left 10 s later (none, when all went)."""
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGKILL)  # a spawned worker that outlived its nanny
        return [name for name, process in self.processes.items() if not _group_gone(process.pid, within_s=10)]

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        with (self.root / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       cwd=self.root, start_new_session=True)
        self.processes[name] = process
        return process

    def _log_tail(self, name: str):
        return lambda: (self.root / f"{name}.log").read_text(errors="replace")[-2000:]


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


def _group_gone(pgid: int, *, within_s: float) -> bool:
    """Whether no process of group ``pgid`` is left, waiting up to ``within_s``."""
    deadline = time.monotonic() + within_s
    while True:
        members = [pid for pid in os.listdir("/proc") if pid.isdigit() and _pgid_of(int(pid)) == pgid]
        if not members or time.monotonic() > deadline:
            return not members
        time.sleep(0.1)


def _pgid_of(pid: int) -> int | None:
    """The process group of ``pid`` (None for a zombie or a process gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[2])


def _wait_for(condition, what: str, log) -> str:
    """``condition()``'s first true value, polled for :data:`START_S`; the test fails with the log's tail."""
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (OSError, ValueError, KeyError):
            value = None
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; its log ends:\n{log()}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[DaskCluster]:
    """A scheduler, a CPU worker and a worker declaring ``GPU=1`` (whether or not its machine has one)."""
    if not DASK.exists():
        pytest.skip(f"Dask's command line is not installed at {DASK}: run scripts/install")
    cluster = DaskCluster(tmp_path_factory.mktemp("dask-cluster"))
    try:
        cluster.start_scheduler()
        cluster.start_worker("cpu-worker")
        cluster.start_worker("gpu-worker", "--resources", f"{GPU_RESOURCE}=1")
        yield cluster
    finally:
        left = cluster.stop()
    assert not left, f"processes of {left} outlived the cluster's teardown"


def _class_of(root: Path, students: list[str]) -> Path:
    """A class folder holding copies of ``students``' submissions from the bundled ch06 class."""
    for student in students:
        shutil.copytree(SAMPLE / student, root / "submitted" / student)
    return root


def _batch_argv(course: Path, assignment: str, cluster: DaskCluster, db: Path) -> list[str]:
    return [sys.executable, "-m", "graders.cli", "batch", str(course), "--assignment", assignment,
            "--executor", "dask", "--scheduler", cluster.address, "--db", f"sqlite:///{db}", "--no-gradebook",
            "--out", str(db.parent / "out")]


def _run_batch(course: Path, assignment: str, cluster: DaskCluster, db: Path) -> str:
    """``geodl batch`` on the cluster, as a TA runs it; its output (it must succeed)."""
    done = subprocess.run(_batch_argv(course, assignment, cluster, db), capture_output=True, text=True,
                          timeout=BATCH_S, cwd=db.parent, env={**os.environ, "COLUMNS": "300"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def _stored(db: Path) -> list[tuple[str, str, dict]]:
    """(student, status, result JSON) of every row of the store's submissions table."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT student, status, result_json FROM geodl_submissions").fetchall()
    return [(student, status, json.loads(data)) for student, status, data in rows]


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # the batch has not made the store yet
        return 0


def _verdicts(results: list[dict]) -> list[list[str]]:
    return sorted([result["submission"]["student"], exercise["id"], check["name"], check["status"],
                   f"{check['points']:g}"] for result in results for exercise in result["exercises"]
                  for check in exercise["checks"])


def _recorded(students: list[str]) -> list[list[str]]:
    with RECORDED.open(newline="") as file:
        return sorted(row for row in list(csv.reader(file))[1:] if row[0] in students)


def test_the_bundled_class_spreads_over_the_cli_workers_and_gets_its_recorded_verdicts(cluster, tmp_path):
    students = ["student001", "student002", "student003", "student004", "hostile-segfault"]
    course = _class_of(tmp_path / "class", students)
    out = _run_batch(course, "ch06", cluster, tmp_path / "results.db")
    assert f"on the Dask scheduler at {cluster.address} (2 workers, 1 with a GPU)" in out, out
    stored = _stored(tmp_path / "results.db")
    assert sorted(student for student, _, _ in stored) == sorted(students)
    assert _verdicts([result for _, _, result in stored]) == _recorded(students)
    assert {result["worker"]["dask_worker"] for _, _, result in stored} == {"cpu-worker", "gpu-worker"}


def test_gpu_exercises_land_only_on_the_worker_declaring_a_gpu(cluster, tmp_path):
    chapter = load_chapter("ch07")
    gpu_checks = {check.name for exercise in chapter.exercises.values() for check in exercise.checks if check.gpu}
    assert chapter.needs_gpu and gpu_checks
    roster = dict(write_class(tmp_path / "class", "ch07", 2, seed=1, hostile=False))  # correct, stub
    _run_batch(tmp_path / "class", "ch07", cluster, tmp_path / "results.db")
    stored = _stored(tmp_path / "results.db")
    assert sorted(student for student, _, _ in stored) == sorted(roster)
    assert {result["worker"]["dask_worker"] for _, _, result in stored} == {"gpu-worker"}
    checks = [check for _, _, result in stored for exercise in result["exercises"] for check in exercise["checks"]
              if check["name"] in gpu_checks]
    assert len(checks) == len(roster) * len(gpu_checks)
    if not gpu_present():  # the worker declares a GPU its machine lacks: its checks say so, nothing breaks
        assert {(check["status"], check["message"]) for check in checks} == {
            ("skipped", "needs a GPU; this worker has none")}
    for student, status, result in stored:
        assert status == "graded", (student, result.get("message"))
        assert (result["score"] == result["max_score"]) == (roster[student] == "correct"), (student, roster[student])


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(cluster, tmp_path):
    from distributed import Client

    students = ["student001", "student002", "student003", "student004"]
    course = _class_of(tmp_path / "class", students)
    db = tmp_path / "results.db"
    cluster.start_worker("doomed")
    with Client(cluster.address, timeout="30s") as client, (tmp_path / "batch.log").open("w+") as log:
        doomed = next(address for address, info in client.scheduler_info(n_workers=-1)["workers"].items()
                      if info["name"] == "doomed")
        batch = subprocess.Popen(_batch_argv(course, "ch06", cluster, db), stdout=log, stderr=subprocess.STDOUT,
                                 cwd=tmp_path)
        try:
            running = _wait_until_running_while_stored(client, doomed, db, batch)
            stored_before = _count(db, "geodl_submissions")
            cluster.kill("doomed")
            assert batch.wait(timeout=BATCH_S) == 0, _tail(log)
        finally:
            if batch.poll() is None:
                batch.kill()
        starts = [message for _, message in client.get_events(START_TOPIC)]
    stored = _stored(db)
    assert sorted(student for student, _, _ in stored) == students  # nothing lost, one row each
    assert all(status == "graded" for _, status, _ in stored), [(s, r.get("message")) for s, _, r in stored]
    assert _verdicts([result for _, _, result in stored]) == _recorded(students)
    chapter = load_chapter("ch06")
    assert _count(db, "geodl_exercises") == len(students) * len(chapter.exercises)
    assert _count(db, "geodl_checks") == len(_recorded(students))
    graded_by = {student: result["worker"]["dask_worker"] for student, _, result in stored}
    for key in running:  # the task in flight on the killed worker ran again elsewhere, and was stored once
        runs = [message["worker"] for message in starts if message["key"] == key]
        assert len(runs) >= 2 and runs[0] == doomed and runs[-1] != doomed, (key, runs)
        assert graded_by[_student_of(key)] != "doomed"
    print(f"killed 'doomed' running {sorted(_student_of(k) for k in running)} with {stored_before} of "
          f"{len(students)} stored; graded by {graded_by}")


def _wait_until_running_while_stored(client, worker: str, db: Path, batch: subprocess.Popen) -> list[str]:
    """Wait until the store holds a result and ``worker`` is grading a submission (its task
    started there and is still processing there); the keys of the tasks it is grading."""
    deadline = time.monotonic() + BATCH_S
    while time.monotonic() < deadline and batch.poll() is None:
        if _count(db, "geodl_submissions") >= 1:
            started = {message["key"] for _, message in client.get_events(START_TOPIC)
                       if message.get("worker") == worker}
            running = [str(key) for key in client.processing(workers=[worker]).get(worker, ()) if key in started]
            if running:
                return running
        time.sleep(0.05)
    pytest.fail("the doomed worker was never seen grading while a result was stored (the batch "
                f"{'ended' if batch.poll() is not None else 'timed out'})")


def _student_of(key: str) -> str:
    """The student of a task's key (``geodl-<assignment>-<student>-<nanoseconds>``)."""
    return key.split("-", 2)[2].rsplit("-", 1)[0]


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-3000:]


#: What bubblewrap needs inside a container: namespaces (SYS_ADMIN, and seccomp's and AppArmor's
#: default profiles, which refuse them) and its sandbox's own loopback (NET_ADMIN).
BWRAP_IN_A_CONTAINER = ["--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--security-opt", "seccomp=unconfined",
                        "--security-opt", "apparmor=unconfined"]


def test_a_dask_worker_in_a_container_joins_over_host_networking_and_grades(docker_engine, tmp_path):  # noqa: F811
    """``dask worker`` in a container of the worker image (its Debian userland; the grader, Dask
    and bubblewrap are the host's, mounted read-only at the same paths), on the host's network (the
    private engine has no bridge: ``--network host`` or ``none``), the only worker of its scheduler:
    it reaches the scheduler on loopback and grades the class in bubblewrap sandboxes of its own."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        pytest.skip("bubblewrap is not installed on this host (scripts/install installs it)")
    from graders.sandbox import default_backend
    if default_backend() != "bwrap":
        pytest.skip(f"the batch's sandbox here is {default_backend()}, not bwrap")
    cluster = DaskCluster(tmp_path / "cluster")
    cluster.root.mkdir()
    name = f"geodl-dask-worker-{uuid.uuid4().hex[:8]}"
    mounts = [REPO, Path(sys.base_prefix)] if Path(sys.base_prefix) != Path("/usr") else [REPO]
    docker = ["docker", "--host", docker_engine.host]
    try:
        address = cluster.start_scheduler()
        started = subprocess.run(
            [*docker, "run", "-d", "--rm", "--name", name, "--network", "host", "--user", "0", *BWRAP_IN_A_CONTAINER,
             *(arg for path in mounts for arg in ("-v", f"{path}:{path}:ro")), "-v", f"{bwrap}:/usr/bin/bwrap:ro",
             "--tmpfs", "/tmp:exec", "-e", "HOME=/tmp", docker_engine.image,
             str(DASK), "worker", address, "--name", "container-worker", "--nthreads", "1", "--nworkers", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
             "--local-directory", "/tmp/dask", "--death-timeout", "60"],
            capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr[-2000:]
        _wait_for(lambda: "container-worker" in probe_scheduler(address).workers, "the container's worker to register",
                  lambda: subprocess.run([*docker, "logs", name], capture_output=True, text=True).stderr[-2000:])
        students = ["student001", "student002", "hostile-segfault"]
        course = _class_of(tmp_path / "class", students)
        _run_batch(course, "ch06", cluster, tmp_path / "results.db")
    finally:
        subprocess.run([*docker, "rm", "-f", name], capture_output=True, timeout=120)
        left = cluster.stop()
    assert not left, f"processes of {left} outlived the test"
    stored = _stored(tmp_path / "results.db")
    assert {result["worker"]["dask_worker"] for _, _, result in stored} == {"container-worker"}
    assert {result["worker"]["sandbox"] for _, _, result in stored} == {"bwrap"}
    assert _verdicts([result for _, _, result in stored]) == _recorded(students)
