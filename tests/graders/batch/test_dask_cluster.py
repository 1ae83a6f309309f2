"""graders/batch.py on Dask distributed: one task per submission on a local cluster of 2 workers;
results stream into the same store; GPU assignments run only on workers declaring ``GPU``."""
from __future__ import annotations

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
