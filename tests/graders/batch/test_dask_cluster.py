"""graders/batch.py on Dask distributed: one task per submission on a local cluster of 2 workers;
results stream into the same store; GPU assignments run only on workers declaring ``GPU``;
``geodl batch --executor dask`` asks the scheduler first, and a scheduler that cannot serve the
batch is one line. (A cluster started from Dask's own command line: ``test_dask_cli.py``.)"""
from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from graders.authoring.samples import write_class
from graders.batch.discovery import discover
from graders.batch.run import BatchOptions, run_batch
from graders.batch.store import ResultStore
from graders.chapters import load_chapter
from graders.grading.settings import get_profile
from graders.sandbox import default_backend

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Nanny, Scheduler, SpecCluster
    workers = {
        "cpu-worker": {"cls": Nanny, "options": {"nthreads": 1}},
        "gpu-worker": {"cls": Nanny, "options": {"nthreads": 1, "resources": {"GPU": 1}}},
    }
    with SpecCluster(scheduler={"cls": Scheduler, "options": {"dashboard_address": None}}, workers=workers) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    return root, dict(write_class(root, "ch06", 4, seed=5, hostile=False))


def _run(cluster, root, tmp_path):
    store = ResultStore(f"sqlite:///{tmp_path / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading").replace(max_examples=8), sandbox=default_backend(),
                           preload=("numpy",))
    summary = run_batch(discover(root, "ch06"), store, options, executor="dask", scheduler=cluster.scheduler_address)
    return summary, store


def test_dask_batch_streams_results_into_the_store(cluster, classroom, tmp_path):
    root, roster = classroom
    summary, store = _run(cluster, root, tmp_path)
    assert summary.graded == len(roster) and summary.errors == 0
    latest = dict(store.latest("ch06"))
    assert set(latest) == set(roster)
    full = load_chapter("ch06").max_points
    for student, kind in roster.items():
        assert (latest[student].score == full) == (kind == "correct"), (student, kind, latest[student].score)


def test_gpu_assignments_go_only_to_gpu_workers(cluster, classroom, tmp_path, monkeypatch):
    root, roster = classroom
    exercise = load_chapter("ch06").exercises["ch06.mlp_backprop"]
    monkeypatch.setattr(exercise, "gpu", True)  # as if ch06 had a device check
    summary, _ = _run(cluster, root, tmp_path)
    assert summary.graded == len(roster)
    assert {r.worker.get("dask_worker") for _, r in summary.results} == {"gpu-worker"}


# --- geodl batch --executor dask: the scheduler is asked first (a mistake is one line, nothing written) ---

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "class-ch06"


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture()
def refused_address() -> str:
    """A loopback TCP address where nothing listens (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture()
def http_address() -> Iterator[str]:
    """A loopback address of a server that answers anything with an HTTP error (a dashboard's port)."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = server.accept()
                with connection:
                    connection.recv(1024)
                    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize("scheduler, reference, says", [
    (None, "dask-scheduler-missing", "--executor dask needs --scheduler ADDRESS"),
    ("refused", "dask-scheduler-unavailable", "does not answer: Connection refused"),
    ("localhost 8786", "bad-scheduler-address", "is not a Dask scheduler's address"),
    ("http://localhost:8787", "bad-scheduler-address", "unknown address scheme 'http'"),
    ("http-server", "bad-scheduler-address", "does not speak Dask's protocol"),
], ids=["no scheduler", "nothing listens", "no scheme", "dashboard URL", "not Dask"])
def test_a_dask_batch_whose_scheduler_cannot_serve_gets_one_line_before_anything_is_written(
        capsys, workdir, refused_address, http_address, scheduler, reference, says):
    from graders.cli import main

    given = {"refused": refused_address, "http-server": http_address}.get(scheduler, scheduler)
    clock = time.monotonic()
    code = main(["batch", str(SAMPLE), "-a", "ch06", "--executor", "dask",
                 *(["--scheduler", given] if given else [])])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert code == 2 and out == "" and "Traceback" not in err, err
    assert len(lines) == 2 and lines[0].startswith(f"geodl batch: error [{reference}]: "), err
    assert says in lines[0] and "Hint: " in lines[0], err
    assert list(workdir.iterdir()) == [], "the mistake left a file behind"
    assert time.monotonic() - clock < 5, "a scheduler that cannot serve is told at once"


def test_a_scheduler_that_accepts_but_never_answers_is_told_within_the_timeout():
    from graders.batch.dask_cluster import probe_scheduler
    from graders.errors import ConfigurationError

    with socket.create_server(("127.0.0.1", 0)) as silent:
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        clock = time.monotonic()
        with pytest.raises(ConfigurationError, match=r"does not answer within 0\.5 s"):
            probe_scheduler(address, timeout_s=0.5)
        assert time.monotonic() - clock < 3


def test_the_scheduler_tells_its_workers_and_a_gpu_assignment_needs_a_gpu_worker(cluster, monkeypatch):
    from graders.batch import dask_cluster
    from graders.batch.dask_cluster import ClusterView, cluster_for_batch
    from graders.errors import ConfigurationError

    ch06, ch07 = load_chapter("ch06"), load_chapter("ch07")
    view = cluster_for_batch(cluster.scheduler_address, ch07)
    assert view.workers == {"cpu-worker": {}, "gpu-worker": {"GPU": 1.0}} and view.gpu_workers == ["gpu-worker"]
    assert view.describe().endswith("(2 workers, 1 with a GPU)")
    cpu_only = ClusterView("tcp://h:8786", {"a": {}, "b": {"GPU": 0.0}})
    monkeypatch.setattr(dask_cluster, "probe_scheduler", lambda address, timeout_s: cpu_only)
    with pytest.raises(ConfigurationError, match=r"ch07 has exercises graded on a GPU \(ch07.train_digits_cnn\) and "
                                                 r"none of the 2 workers .* declares the resource GPU") as raised:
        cluster_for_batch("tcp://h:8786", ch07)
    assert "--resources GPU=1" in str(raised.value.hint)
    assert cluster_for_batch("tcp://h:8786", ch06) is cpu_only          # no GPU exercise: any worker will do
    waiting = ClusterView("tcp://h:8786", {})
    monkeypatch.setattr(dask_cluster, "probe_scheduler", lambda address, timeout_s: waiting)
    assert cluster_for_batch("tcp://h:8786", ch07) is waiting          # no worker yet: its tasks wait for them


def test_two_worker_processes_of_one_machine_never_share_a_sandbox_slot(tmp_path):
    """Each process claims its own slot (a sandbox uid) by a lock; a dead process's slot is free."""
    import subprocess
    import sys

    code = "from graders.batch.dask_cluster import _machine_slot; print(_machine_slot(), flush=True); input()"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    holders = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True, env=env) for _ in range(3)]
    try:
        slots = [int(p.stdout.readline()) for p in holders]
        assert len(set(slots)) == 3 and min(slots) >= 100, slots
    finally:
        for p in holders:
            p.communicate("\n", timeout=30)
    again = subprocess.run([sys.executable, "-c", code], input="\n", capture_output=True, text=True, env=env,
                           timeout=60)
    assert int(again.stdout) == min(slots)  # freed when its holder ended
