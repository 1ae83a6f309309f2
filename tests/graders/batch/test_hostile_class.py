"""A class in which one submission takes its grading process down and one hangs it: every
classmate still gets exactly the score it gets alone, the hung one is recorded as a timeout
within its limit, each submission is stored once, and the batch finishes (graders/batch/local.py,
graders/batch/dask_cluster.py).

One attack is real: ``samples/hostile/forge_huge_reply.py`` writes into its session's socket a
forged 250 MB reply that would unpack, in the grader, into gigabytes (the red team's attack); the
grader must refuse it at its header (graders/worker/wire.py), and were it not, the grading
process's memory group would stop it. Otherwise a submission cannot reach its grading process
from inside the sandbox (that is the point of the sandbox), so the other faults are injected on
the grader's side, as a grader bug would cause them, through the batch's own hook:
``BatchOptions.process_initializer`` runs :func:`inject_grader_faults` first in each grading
process, and it makes grading a submission that carries a mark allocate without bound (the
memory group, or the RLIMIT_DATA fallback, must stop it) or block forever (the watchdog must
stop it). The marks are comments in an honest submission's files, which change no verdict.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

OOM_MARK = b"# geodl-test: grading this submission makes the grader allocate without bound"
HANG_MARK = b"# geodl-test: grading this submission makes the grader block forever"
LIMIT_S = 20.0          #: the watchdog's limit in these batches (honest ch06 grading takes about a second)
MARGIN_S = 3.0          #: how late past its limit a timeout may be recorded
GRADER_MEMORY = 2**30   #: each grading process's memory limit here (a ch06 one peaks near 260 MiB)
HOARD_CAP = 6 * 2**30   #: where the injected allocation gives up if no limit stopped it


def inject_grader_faults() -> None:
    """Run first in each grading process: grading a submission marked :data:`OOM_MARK` allocates
    until the process's memory limit stops it; one marked :data:`HANG_MARK` never returns."""
    from graders.batch import local

    grade = local.grade_submission

    def faulty(student, submission, *args, **kwargs):
        files = b"".join(submission.files.values())
        if OOM_MARK in files:
            hoard, chunk = [], 64 * 2**20
            while len(hoard) * chunk < HOARD_CAP:
                hoard.append(b"\x01" * chunk)  # written, so resident: the memory group counts it
            raise AssertionError("no memory limit stopped the grading process")
        if HANG_MARK in files:
            threading.Event().wait()
        return grade(student, submission, *args, **kwargs)

    local.grade_submission = faulty


def fail_to_start() -> None:
    """Run first in each grading process: it dies before it is ready."""
    raise SystemExit(3)


def inject_dask_hang() -> None:
    """The same hang, on a Dask worker (run there with ``Client.run``)."""
    from graders.batch import dask_cluster

    grade = dask_cluster.grade_submission

    def faulty(student, submission, *args, **kwargs):
        if HANG_MARK in b"".join(submission.files.values()):
            threading.Event().wait()
        return grade(student, submission, *args, **kwargs)

    dask_cluster.grade_submission = faulty


def _marked_copy(root: Path, honest: str, student: str, mark: bytes) -> None:
    folder = root / "submitted" / student
    shutil.copytree(root / "submitted" / honest, folder)
    module = next(folder.rglob("mlp.py"))
    module.write_bytes(module.read_bytes() + b"\n" + mark + b"\n")


FORGED = "ac-forge-huge-reply"


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """Six honest submissions (correct, wrong, stub, partial), two marked copies of the first
    correct one and the forged huge reply, named to be handed out first."""
    from graders.authoring.samples import hostile_files, load_hostile, write_class

    root = tmp_path_factory.mktemp("hostile-class")
    roster = dict(write_class(root, "ch06", 6, seed=2, hostile=False))
    correct = next(student for student, kind in roster.items() if kind == "correct")
    _marked_copy(root, correct, "aa-grader-hang", HANG_MARK)
    _marked_copy(root, correct, "ab-grader-oom", OOM_MARK)
    forged = next(h for h in load_hostile() if h.name == "forge_huge_reply")
    assert forged.kind == "class"
    for rel, data in hostile_files(forged).items():
        path = root / "submitted" / FORGED / "ch06" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root, roster


@pytest.fixture(scope="module")
def alone(hostile_class):
    """Each honest submission graded alone, in a fresh worker of its own: ``student: result``."""
    from graders.batch.discovery import discover, read_submission
    from graders.chapters import load_chapter
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.sandbox import WorkerOptions, default_backend, require

    root, roster = hostile_class
    chapter, results = load_chapter("ch06"), {}
    for item in discover(root, "ch06"):
        if item.student in roster:
            with Worker(require(default_backend()), options=WorkerOptions(preload=("numpy",))) as worker:
                results[item.student] = grade(read_submission(item, chapter), chapter, worker, get_profile("grading"))
    return results


def _verdicts(result) -> list[tuple[str, str, bool]]:
    return [(exercise.id, check.name, check.passed) for exercise in result.exercises for check in exercise.checks]


def _grading_children() -> list[int]:
    """This process's children that are grading processes (multiprocessing's spawned ones)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                spawned = b"spawn_main" in cmdline.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and spawned:
            found.append(int(entry.name))
    return found


def test_a_grading_process_that_dies_or_hangs_costs_only_its_own_submission(hostile_class, alone, tmp_path):
    from graders.batch.discovery import discover
    from graders.batch.run import BatchOptions, run_batch
    from graders.batch.store import ResultStore
    from graders.grading.settings import get_profile
    from graders.sandbox import default_backend
    from graders.sandbox.cgroups import memory_peaks

    root, roster = hostile_class
    db = tmp_path / "results.db"
    options = BatchOptions("ch06", get_profile("grading"), sandbox=default_backend(), workers=2, preload=("numpy",),
                           grader_memory_bytes=GRADER_MEMORY, submission_timeout_s=LIMIT_S,
                           process_initializer=inject_grader_faults)
    seen: list[tuple[str, str, float]] = []
    clock = time.monotonic()
    summary = run_batch(discover(root, "ch06"), ResultStore(f"sqlite:///{db}"), options,
                        on_result=lambda student, result, status: seen.append((student, status,
                                                                               time.monotonic() - clock)))
    results = dict(summary.results)
    everyone = sorted([*roster, "aa-grader-hang", "ab-grader-oom", FORGED])

    # The batch finished, with one result per submission, committed once and stored once.
    assert sorted(student for student, _, _ in seen) == everyone
    assert summary.graded == len(everyone) and summary.timeouts == 1 and summary.errors >= 2
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT student, COUNT(*) FROM geodl_submissions GROUP BY student").fetchall()
    counts = [count for _, count in rows]
    assert counts == [1] * len(everyone)

    # Every classmate gets exactly what it gets alone.
    for student in roster:
        assert results[student].status == "graded", (student, results[student].message)
        assert results[student].score == alone[student].score, (student, roster[student])
        assert _verdicts(results[student]) == _verdicts(alone[student]), student

    # The hung one: a timeout, recorded within its limit and a small margin, in one line.
    hung = results["aa-grader-hang"]
    assert hung.status == "timeout" and hung.score == 0
    assert LIMIT_S <= hung.duration_s <= LIMIT_S + MARGIN_S, hung.duration_s
    assert f"took longer than its limit ({LIMIT_S:g} s, set for this batch)" in hung.message
    assert "\n" not in hung.message
    when = next(at for student, _, at in seen if student == "aa-grader-hang")
    assert when <= LIMIT_S + MARGIN_S + 60, when  # 60 s: the grading processes' start, at most

    # The one whose grading process outgrew its memory: stopped by its memory group (killed, graded
    # again once, killed again) or, without cgroups, by its RLIMIT_DATA (a MemoryError), in one line.
    oom = results["ab-grader-oom"]
    assert oom.status == "error" and oom.score == 0 and "\n" not in oom.message
    if summary.grader_memory.startswith("a cgroup"):
        assert "ran out of memory (its limit is 1.0 GiB)" in oom.message and "twice" in oom.message, oom.message
    else:
        assert "ran out of memory (MemoryError)" in oom.message, oom.message

    # The forged huge reply: refused at its header (longer than the session's reply limit), so the
    # attacked exercise loses points for a malformed reply and the others keep theirs.
    forged = results[FORGED]
    assert forged.status == "graded", forged.message
    for exercise in forged.exercises:
        assert (exercise.score < exercise.max_score) == (exercise.id == "ch06.mlp_backprop"), exercise.id
    attacked = next(e for e in forged.exercises if e.id == "ch06.mlp_backprop")
    assert any("malformed reply" in c.message for c in attacked.checks), [c.message for c in attacked.checks]

    # Nothing left behind: no grading process, no sandbox group, no grading process's group.
    assert _grading_children() == []
    left = [name for name in memory_peaks() if not os.path.exists(f"/proc/{name[1:].split('-')[0]}")]
    assert left == []
    assert _grading_groups_of(os.getpid()) == []


def _grading_groups_of(pid: int) -> list[str]:
    """The grading processes' groups that process ``pid`` made and that still exist."""
    from graders.sandbox.cgroups import grading_groups_folder
    folder = grading_groups_folder()
    return [] if folder is None else [path.name for path in folder.glob(f"g{pid}-*")]


def test_the_watchdogs_limit_derives_from_the_grading_settings():
    from graders.batch.local import START_ALLOWANCE_S, submission_time_limit, timeout_message
    from graders.batch.run import BatchOptions
    from graders.chapters import load_chapter
    from graders.grading.settings import get_profile

    ch06 = load_chapter("ch06")
    grading, ci = get_profile("grading"), get_profile("ci")
    assert submission_time_limit(ch06, grading) == len(ch06.exercises) * grading.exercise_timeout_s + START_ALLOWANCE_S
    assert submission_time_limit(ch06, ci) > submission_time_limit(ch06, grading)
    assert f"({len(ch06.exercises) * 20 + START_ALLOWANCE_S:g} s: {len(ch06.exercises)} exercises × 20 s, plus " \
           f"{START_ALLOWANCE_S:g} s)" in timeout_message(ch06, grading, None)
    with pytest.raises(ValueError, match="submission_timeout_s"):
        BatchOptions("ch06", grading, submission_timeout_s=0)
    with pytest.raises(ValueError, match="grader_memory_bytes"):
        BatchOptions("ch06", grading, grader_memory_bytes=1024)


def test_a_dask_task_past_its_limit_is_cancelled_recorded_as_a_timeout_and_its_worker_restarted(
        hostile_class, alone, tmp_path):
    pytest.importorskip("distributed")
    from distributed import Client, Nanny, Scheduler, SpecCluster

    from graders.batch.discovery import discover
    from graders.batch.run import BatchOptions, run_batch
    from graders.batch.store import ResultStore
    from graders.grading.settings import get_profile
    from graders.sandbox import default_backend

    root, roster = hostile_class
    honest = sorted(roster)[:2]
    items = [item for item in discover(root, "ch06") if item.student in ["aa-grader-hang", *honest]]
    workers = {name: {"cls": Nanny, "options": {"nthreads": 1}} for name in ("one", "two")}
    limit = 12.0
    with SpecCluster(scheduler={"cls": Scheduler, "options": {"dashboard_address": None}}, workers=workers) as cluster:
        with Client(cluster) as client:
            client.run(inject_dask_hang)
            before = set(client.run(os.getpid).values())
        options = BatchOptions("ch06", get_profile("grading"), sandbox=default_backend(), preload=("numpy",),
                               submission_timeout_s=limit)
        summary = run_batch(items, ResultStore(f"sqlite:///{tmp_path / 'results.db'}"), options, executor="dask",
                            scheduler=cluster.scheduler_address)
        with Client(cluster) as client:
            client.wait_for_workers(2, timeout=60)
            after = set(client.run(os.getpid).values())
    assert len(before - after) == 1, (before, after)  # the hung task's worker was restarted, the other kept
    results = dict(summary.results)
    assert sorted(results) == sorted(item.student for item in items) and summary.graded == len(items)
    hung = results["aa-grader-hang"]
    assert hung.status == "timeout" and limit <= hung.duration_s <= limit + MARGIN_S, (hung.status, hung.duration_s)
    for student in honest:
        assert results[student].status == "graded", results[student].message
        assert _verdicts(results[student]) == _verdicts(alone[student]), student


def test_without_a_memory_group_a_grading_process_is_bounded_by_its_rlimit_data_and_lives_on(
        hostile_class, alone, monkeypatch):
    """Where no cgroup can be made, the grading process's soft RLIMIT_DATA stops the allocation
    (a MemoryError, an error result for that submission alone), and the same process then grades
    the next submission as it is graded alone: the limit leaves honest grading room."""
    from graders.batch.discovery import discover, read_submission
    from graders.batch.local import GradingFailed, grading_pool
    from graders.batch.preload import WardenSpec
    from graders.chapters import load_chapter
    from graders.grading.result import SubmissionResult
    from graders.grading.settings import get_profile
    from graders.sandbox import cgroups, default_backend

    root, roster = hostile_class
    monkeypatch.setattr(cgroups, "CGROUP_ROOT", root / "no-cgroups-here")
    chapter, settings = load_chapter("ch06"), get_profile("grading")
    items = {item.student: item for item in discover(root, "ch06")}
    honest = next(student for student, kind in roster.items() if kind == "correct")
    with grading_pool("ch06", settings, default_backend(), 1, WardenSpec(("numpy",)), memory_bytes=GRADER_MEMORY,
                      initializer=inject_grader_faults) as pool:
        hog = pool.submit(("ab-grader-oom", read_submission(items["ab-grader-oom"], chapter)))
        then = pool.submit((honest, read_submission(items[honest], chapter)))
        with pytest.raises(GradingFailed, match=r"ran out of memory \(MemoryError\)"):
            hog.result(timeout=120)
        result = SubmissionResult.from_json(then.result(timeout=120))
        assert pool.memory_note.startswith("a soft RLIMIT_DATA of 1.0 GiB")
    assert result.status == "graded" and _verdicts(result) == _verdicts(alone[honest])


def test_grading_processes_that_cannot_start_fail_the_batch_with_error_results_and_it_finishes(
        hostile_class, tmp_path):
    """A pool whose processes die before they are ready gives up after a few in a row: every
    submission gets an error result saying so, and the batch finishes."""
    from graders.batch.discovery import discover
    from graders.batch.local import MAX_FAILED_STARTS
    from graders.batch.run import BatchOptions, run_batch
    from graders.batch.store import ResultStore
    from graders.grading.settings import get_profile

    root, roster = hostile_class
    items = [item for item in discover(root, "ch06") if item.student in roster][:3]
    options = BatchOptions("ch06", get_profile("grading"), sandbox="process", workers=1, preload=("numpy",),
                           process_initializer=fail_to_start)
    summary = run_batch(items, ResultStore(f"sqlite:///{tmp_path / 'results.db'}"), options)
    assert summary.graded == len(items) == summary.errors
    for _, result in summary.results:
        assert result.status == "error" and "could not start" in result.message, result.message
        assert f"{MAX_FAILED_STARTS} times in a row" in result.message and "exited with status 3" in result.message
    assert _grading_children() == []
