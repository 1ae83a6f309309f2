"""The docker backend against bwrap, and what its engine and image cost.

Parts (``--parts cswd``, all by default):

c  the bundled ch06 class (samples/class-ch06, 24 submissions, hostile ones included) graded by
   ``geodl batch``'s pool with 1 and 2 workers on each backend, in one run: bwrap and docker take
   turns batch by batch (``--rounds`` repeats, the order alternating); seconds per submission, the
   non-hostile submissions' mean grading time, and whether both backends give every student the
   same score.
s  starting a worker (launch to the warden's ``ready``, ch06's warden: numpy preloaded, its
   packages) and a bare ``docker run --rm IMAGE true``; then sessions: fork, one call answered,
   closed and cleaned up (the warden's report), on each backend, taking turns.
w  the image: its size and its base's, and ``scripts/build-worker-image`` from its cache.
d  storage drivers: for overlay2 and vfs, a private engine of its own (a root of its own under
   /var/tmp, removed after): its start, the image built from scratch there (debootstrap base
   included; the wheelhouse too, for the first driver), built again from cache, container and
   worker starts, sessions, and the disk the engine uses with one worker running.

The main engine is the one ``scripts/docker-engine start`` gives (stopped after if this started
it), the image the one ``scripts/build-worker-image`` gives.

Usage: .venv/bin/python benchmarks/bench_docker.py [--parts cswd] [--rounds 1] [--starts 5] [--sessions 40]
[--drivers overlay2,vfs]
Writes benchmarks/out/docker.json and prints it.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.batch.discovery import discover  # noqa: E402
from graders.batch.preload import WardenSpec  # noqa: E402
from graders.batch.run import BatchOptions, run_batch  # noqa: E402
from graders.batch.store import ResultStore  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.client import Worker  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402
from graders.sandbox import WorkerOptions, get_sandbox  # noqa: E402
from graders.sandbox import docker as docker_backend  # noqa: E402
from tests.support.docker import BUILD_SCRIPT, ENGINE_SCRIPT, get_engine_and_image, stop_engine  # noqa: E402

CLASS = REPO / "samples" / "class-ch06"
WHEELHOUSE = REPO / ".cache" / "worker-wheels"


def _bare_runs(engine, image: str, starts: int) -> list[float]:
    """Seconds of each of ``starts`` runs of ``docker run --rm ... IMAGE true`` (a container's own
    start and removal, no worker)."""
    times = []
    for _ in range(starts):
        clock = time.perf_counter()
        ran = engine.run("run", "--rm", "--network", "none", "--log-driver", "none", image, "true")
        times.append(time.perf_counter() - clock)
        if ran.returncode != 0:
            raise RuntimeError(f"docker run {image} true: {ran.stderr.decode(errors='replace')[-300:]}")
    return times


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    return {"n": len(values), "median_ms": round(1000 * statistics.median(values), 2),
            "mean_ms": round(1000 * statistics.fmean(values), 2), "min_ms": round(1000 * values[0], 2),
            "max_ms": round(1000 * values[-1], 2)}


def _use_engine(host: str) -> None:
    os.environ["DOCKER_HOST"] = host
    docker_backend.find_engine.cache_clear()
    docker_backend.image_labels.cache_clear()


def _ch06_options() -> WorkerOptions:
    chapter = load_chapter("ch06")
    spec = WardenSpec.of(chapter)
    return WorkerOptions(preload=spec.preload, packages=spec.packages)


# -- c: the class
def class_batches(rounds: int, workers: tuple[int, ...]) -> dict:
    settings = get_profile("grading")
    out = scratch_folder("geodl-bench-docker-")
    items = discover(CLASS, "ch06")
    hostile = {item.student for item in items if item.student.startswith("hostile")}
    runs: list[dict] = []
    scores: dict[str, dict[str, float]] = {}
    for round_index in range(rounds):
        for count in workers:
            order = ("bwrap", "docker") if (round_index + count) % 2 else ("docker", "bwrap")
            for backend in order:
                store = ResultStore(f"sqlite:///{out / f'{backend}-{count}-{round_index}.db'}")
                summary = run_batch(discover(CLASS, "ch06"), store, BatchOptions("ch06", settings, sandbox=backend,
                                                                                workers=count))
                results = dict(summary.results)
                honest = [r.duration_s for s, r in results.items() if s not in hostile]
                runs.append({"round": round_index, "backend": backend, "workers": count,
                             "submissions": len(results), "wall_s": round(summary.wall_s, 2),
                             "per_submission_s": round(summary.wall_s / len(results), 3),
                             "non_hostile_grading_s_each_mean": round(statistics.fmean(honest), 3),
                             "errors": summary.errors, "timeouts": summary.timeouts})
                scores[f"{backend}-{count}-{round_index}"] = {s: r.score for s, r in results.items()}
                print(f"class: {runs[-1]}", file=sys.stderr)
    reference = next(iter(scores.values()))
    mismatches = sorted({student for run in scores.values() for student, score in run.items()
                         if reference.get(student) != score})
    summary_rows = {}
    for backend in ("bwrap", "docker"):
        for count in workers:
            mine = [r["per_submission_s"] for r in runs if r["backend"] == backend and r["workers"] == count]
            summary_rows[f"{backend}_workers_{count}_per_submission_s"] = round(statistics.fmean(mine), 3)
    for count in workers:
        summary_rows[f"docker_over_bwrap_workers_{count}"] = round(
            summary_rows[f"docker_workers_{count}_per_submission_s"]
            / summary_rows[f"bwrap_workers_{count}_per_submission_s"], 3)
    return {"runs": runs, **summary_rows, "score_mismatches_between_runs": mismatches,
            "hostile_submissions": len(hostile), "submissions": len(items)}


# -- s: starts and sessions
def _worker_start(backend: str, options: WorkerOptions, slot: int) -> tuple[float, Worker]:
    worker = Worker(get_sandbox(backend), options=options, slot=slot)
    clock = time.perf_counter()
    worker.start()
    return time.perf_counter() - clock, worker


def _session_cycle(worker: Worker) -> tuple[float, float, float]:
    """(fork to the first answer, the close and cleanup, the warden's own cleanup) in seconds."""
    clock = time.perf_counter()
    session = worker.open_session()
    assert session.request("ping", {"payload": 1}, timeout_s=30).value == 1
    answered = time.perf_counter()
    report = session.close(wait=True)
    return answered - clock, time.perf_counter() - answered, float(report.get("clean_s", 0.0))


def starts_and_sessions(backends: tuple[str, ...], starts: int, sessions: int, image: str) -> dict:
    options = _ch06_options()
    report: dict = {"warden_preload": list(options.preload), "warden_packages": list(options.sandbox_packages())}
    start_times: dict[str, list[float]] = {b: [] for b in backends}
    for index in range(starts):
        for backend in backends if index % 2 == 0 else tuple(reversed(backends)):
            seconds, worker = _worker_start(backend, options, slot=30)
            worker.stop()
            start_times[backend].append(seconds)
    for backend, values in start_times.items():
        report[f"{backend}_worker_start"] = _stats(values)
    if "docker" in backends:
        engine, _ = docker_backend.find_engine("docker")
        assert engine is not None
        report["docker_run_rm_true"] = _stats(_bare_runs(engine, image, starts))
    workers = {backend: _worker_start(backend, options, slot=31 + i)[1] for i, backend in enumerate(backends)}
    try:
        cycles: dict[str, list[tuple[float, float, float]]] = {b: [] for b in backends}
        for backend in backends:
            _session_cycle(workers[backend])  # first-use costs, not counted
        for index in range(sessions):
            for backend in backends if index % 2 == 0 else tuple(reversed(backends)):
                cycles[backend].append(_session_cycle(workers[backend]))
        for backend, values in cycles.items():
            report[f"{backend}_session_fork_to_first_answer"] = _stats([v[0] for v in values])
            report[f"{backend}_session_close_and_cleanup"] = _stats([v[1] for v in values])
            report[f"{backend}_session_warden_cleanup"] = _stats([v[2] for v in values])
    finally:
        for worker in workers.values():
            worker.stop()
    return report


# -- w: the image
def _build(env: dict | None = None) -> tuple[float, str, str]:
    clock = time.perf_counter()
    done = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, env=env, cwd=REPO, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/build-worker-image failed: {done.stderr[-2000:]}")
    return time.perf_counter() - clock, done.stdout.strip().splitlines()[-1].split("=", 1)[1], done.stderr


def _image_mb(engine: docker_backend.Engine, image: str) -> float:
    size = engine.run("image", "inspect", "--format", "{{.Size}}", image).stdout.decode().strip()
    return round(int(size) / 1e6, 1)


def image_figures(image: str) -> dict:
    engine, _ = docker_backend.find_engine("docker")
    assert engine is not None
    labels, _ = docker_backend.image_labels(engine, image)
    base = (labels or {}).get("geodl.base", "")
    from_cache_s, tag, _ = _build()
    return {"image": tag, "image_mb": _image_mb(engine, image), "base": base,
            "base_mb": _image_mb(engine, base) if base else None, "build_from_cache_s": round(from_cache_s, 2),
            "distributions": (labels or {}).get("geodl.distributions", "").split()}


# -- d: storage drivers
def _du_mb(path: Path) -> float:
    done = subprocess.run(["du", "-sxm", str(path)], capture_output=True, text=True)
    return float(done.stdout.split()[0]) if done.returncode == 0 and done.stdout else float("nan")


def storage_driver(driver: str, *, fresh_wheelhouse: bool, starts: int, sessions: int) -> dict:
    root = Path(f"/var/tmp/geodl-bench-{driver}")
    env = {**os.environ, "GEODL_DOCKER_ROOT": str(root), "GEODL_DOCKER_STORAGE": driver}
    env.pop("DOCKER_HOST", None)
    subprocess.run([str(ENGINE_SCRIPT), "stop", "--purge"], env=env, capture_output=True)
    report: dict = {"driver": driver}
    try:
        clock = time.perf_counter()
        started = subprocess.run([str(ENGINE_SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=300)
        report["engine_start_s"] = round(time.perf_counter() - clock, 2)
        host = started.stdout.strip().splitlines()[-1].split("=", 1)[1]
        if host != f"unix://{root}/docker.sock":
            raise RuntimeError(f"{driver}: the engine started is not the private one: {started.stderr}")
        env["DOCKER_HOST"] = host
        if fresh_wheelhouse:
            shutil.rmtree(WHEELHOUSE, ignore_errors=True)
        scratch_s, image, log = _build(env)
        report["build_from_scratch_s"] = round(scratch_s, 1)
        report["build_from_scratch_included"] = ("wheelhouse download, " if fresh_wheelhouse else "") + \
            "debootstrap base, docker build"
        report["build_log"] = [line for line in log.splitlines() if line.startswith("build-worker-image:")]
        report["build_from_cache_s"] = round(_build(env)[0], 2)
        report["data_root_mb_with_image"] = _du_mb(root / "data")
        engine = docker_backend.Engine("docker", host)
        report["docker_run_rm_true"] = _stats(_bare_runs(engine, image, starts))
        previous = os.environ.get("DOCKER_HOST")
        _use_engine(host)
        try:
            options, times = _ch06_options(), []
            for _ in range(starts):
                seconds, worker = _worker_start("docker", options, slot=40)
                times.append(seconds)
                worker.stop()
            report["worker_start"] = _stats(times)
            _, worker = _worker_start("docker", options, slot=41)
            try:
                report["data_root_mb_with_a_worker_running"] = _du_mb(root / "data")
                _session_cycle(worker)
                cycles = [_session_cycle(worker) for _ in range(sessions)]
                report["session_fork_to_first_answer"] = _stats([c[0] for c in cycles])
            finally:
                worker.stop()
        finally:
            if previous:
                _use_engine(previous)
    finally:
        subprocess.run([str(ENGINE_SCRIPT), "stop", "--purge"], env=env, capture_output=True, timeout=300)
    return report


def storage_drivers(drivers: tuple[str, ...], starts: int, sessions: int) -> list[dict]:
    """:func:`storage_driver` for each of ``drivers`` (a failure is reported, and the others still run)."""
    reports = []
    for index, driver in enumerate(drivers):
        try:
            reports.append(storage_driver(driver, fresh_wheelhouse=index == 0, starts=starts, sessions=sessions))
        except Exception as exc:  # noqa: BLE001 - reported with the driver's name
            reports.append({"driver": driver, "error": f"{type(exc).__name__}: {exc}"})
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="cswd")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--drivers", default="overlay2,vfs", help="the storage drivers of part d")
    args = parser.parse_args()
    setup = get_engine_and_image()
    if isinstance(setup, str):
        sys.exit(f"bench_docker: {setup}")
    engine, _ = docker_backend.find_engine("docker")
    assert engine is not None
    driver = engine.run("info", "--format", "{{.Driver}}").stdout.decode().strip()
    server = engine.run("version", "--format", "{{.Server.Version}}").stdout.decode().strip()
    report: dict = {"machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}",
                    "engine": {"host": setup.host, "storage_driver": driver,
                               "server": server,
                               "started_by_this_run": setup.started_engine,
                               "get_engine_s": round(setup.engine_s, 2), "get_image_s": round(setup.image_s, 2)},
                    "image": setup.image}
    parts = {"w": ("image_figures", lambda: image_figures(setup.image)),
             "s": ("starts_and_sessions", lambda: starts_and_sessions(("bwrap", "docker"), args.starts, args.sessions,
                                                                      setup.image)),
             "c": ("class", lambda: class_batches(args.rounds, tuple(int(w) for w in args.workers.split(",")))),
             "d": ("storage_drivers", lambda: storage_drivers(tuple(args.drivers.split(",")), args.starts,
                                                              args.sessions))}
    try:
        for part in args.parts:
            name, measure = parts[part]
            try:
                report[name] = measure()
            except Exception as exc:  # noqa: BLE001 - a part that fails is reported, the others still run
                report[name] = {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        stop_engine(setup)
    write_report("docker", report)


if __name__ == "__main__":
    main()
