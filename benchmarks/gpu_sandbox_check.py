"""The GPU sandbox path on a CUDA host, in one run: bubblewrap with the NVIDIA device nodes bound
in, torch on the device inside a session, tensors coming back with their device, chapter 6
graded in the sandbox, the cgroup (v2 there) limits against hostile submissions, and round trips.

Usage (on the device machine, bubblewrap unpacked from the carried .deb):
    BWRAP=/tmp/bw/usr/bin/bwrap python3 benchmarks/gpu_sandbox_check.py --out DIR
Writes DIR/gpu_check.json and prints it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

REPORT: dict = {}

GPU_MODULE = b'''
import torch

def on_device(n):
    x = torch.arange(n, dtype=torch.float32, device="cuda")
    return float((2 * x).sum().item()), str(x.device), torch.cuda.get_device_name(0)

def tensor_back(n):
    return torch.ones(n, device="cuda") * 3

def double(t):
    return 2 * t

def cpu_only_view():
    return torch.cuda.is_available()
'''


def step(name):
    def wrap(func):
        def run(*args, **kwargs):
            clock = time.perf_counter()
            try:
                REPORT[name] = {"ok": True, "result": func(*args, **kwargs)}
            except BaseException as exc:  # noqa: BLE001 - record and go on to the next step
                REPORT[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                                "trace": traceback.format_exc()[-1500:]}
            REPORT[name]["seconds"] = round(time.perf_counter() - clock, 3)
            print(f"== {name}: {json.dumps(REPORT[name], default=str)[:1500]}", flush=True)
        return run
    return wrap


@step("environment")
def environment():
    import torch

    from graders.sandbox.cgroups import detect
    from graders.sandbox.environment import current_layout
    try:
        smi = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
    except FileNotFoundError:
        smi = subprocess.CompletedProcess([], 1, "nvidia-smi not found", "")
    layout = current_layout(("nvidia-cudnn-cu12",))
    return {"python": sys.version.split()[0], "torch": torch.__version__, "cuda": torch.cuda.is_available(),
            "nvidia_smi": smi.stdout.strip(), "cgroup": detect(), "uid": os.geteuid(),
            "uname": os.uname().release, "site_entries": len(layout.site_entries), "executable": str(layout.executable),
            "dev_nvidia": sorted(p.name for p in Path("/dev").glob("nvidia*"))}


@step("bwrap_probe")
def bwrap_probe(sandbox):
    return {"unavailable_reason": sandbox.unavailable_reason()}


@step("gpu_session")
def gpu_session(sandbox):
    from graders.grading.client import Worker
    from graders.sandbox import SandboxLimits, WorkerOptions
    from graders.worker.wire import TensorData
    out = {}
    with Worker(sandbox, limits=SandboxLimits(gpu=True, memory_bytes=24 * 2**30, session_memory_bytes=64 * 2**30),
                options=WorkerOptions(preload=("numpy", "torch"))) as worker:
        out["ready"] = {k: worker.info.get(k)
                        for k in ("preload_s", "cuda", "python", "cuda_initialized_in_warden", "preload")}
        out["limits"] = worker.process.limits_note
        session = worker.open_session()
        session.request("load", {"files": {"ch99/gpu.py": GPU_MODULE}}, timeout_s=60)
        assert session.request("import", {"module": "ch99.gpu"}, timeout_s=120).ok
        clock = time.perf_counter()
        reply = session.request("call", {"target": {"module": "ch99.gpu", "path": ["on_device"]}, "args": [1000]},
                                timeout_s=180)
        out["first_cuda_call_s"] = round(time.perf_counter() - clock, 3)
        out["on_device"] = reply.value if reply.ok else reply.error.one_line()
        reply = session.request("call", {"target": {"module": "ch99.gpu", "path": ["tensor_back"]}, "args": [4]},
                                timeout_s=60)
        value = reply.value
        out["tensor_back"] = ({"type": type(value).__name__, "device": value.device, "dtype": value.dtype,
                               "values": value.array.tolist()} if isinstance(value, TensorData) else repr(reply))
        sent = TensorData(__import__("numpy").arange(3, dtype="float32"), "float32", "cuda:0")
        reply = session.request("call", {"target": {"module": "ch99.gpu", "path": ["double"]}, "args": [sent]},
                                timeout_s=60)
        out["tensor_to_device_and_back"] = ({"device": reply.value.device, "values": reply.value.array.tolist()}
                                            if reply.ok else reply.error.one_line())
        samples = []
        for _ in range(2000):
            clock = time.perf_counter()
            session.request("ping", timeout_s=10)
            samples.append(time.perf_counter() - clock)
        out["ping_median_us"] = round(statistics.median(samples) * 1e6, 1)
        session.close()
    return out


@step("ch06_graded_in_sandbox")
def grade_ch06(sandbox):
    from graders.authoring.stubs import chapter_sources
    from graders.chapters import load_chapter
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.grading.submission import Submission
    from graders.sandbox import WorkerOptions
    chapter = load_chapter("ch06")
    files = {k: v.encode() for k, v in chapter_sources("ch06", chapter.modules, solution=True).items()}
    with Worker(sandbox, options=WorkerOptions(preload=("numpy",))) as worker:
        grade(Submission("ch06", files), chapter, worker, get_profile("grading"))
        clock = time.perf_counter()
        result = grade(Submission("ch06", files), chapter, worker, get_profile("grading"))
        return {"score": result.score, "max": result.max_score, "steady_s": round(time.perf_counter() - clock, 3)}


@step("hostile_under_cgroups")
def hostile(sandbox):
    import psutil

    from graders.authoring.samples import hostile_files, load_hostile
    from graders.chapters import load_chapter
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.grading.submission import Submission
    from graders.sandbox import WorkerOptions
    chapter = load_chapter("ch06")
    wanted = {"hang": "ch06.mlp_backprop", "memory_bomb": "ch06.conv_as_matrix", "fork_bomb": "ch06.conv_as_matrix",
              "segfault": "ch06.mlp_backprop", "network": "ch06.variational_bp", "linger": "ch06.mlp_backprop",
              "dynamic_import": "ch06.mlp_backprop"}
    hostiles = {h.name: h for h in load_hostile()}
    settings = get_profile("grading").replace(call_timeout_s=3.0, exercise_timeout_s=10.0, max_examples=5)
    out = {}
    with Worker(sandbox, options=WorkerOptions(preload=("numpy",)), slot=5) as worker:
        for name, exercise in wanted.items():
            result = grade(Submission("ch06", hostile_files(hostiles[name])), chapter, worker, settings,
                           exercises=[exercise])
            ex = result.exercises[0]
            out[name] = {"score": f"{ex.score:g}/{ex.max_score:g}",
                         "statuses": sorted({c.status for c in ex.checks}),
                         "first_failure": next((c.message for c in ex.checks if not c.passed), "")[:200]}
        cgroup = worker.process.cgroup
        out["limits"] = worker.process.limits_note
    leftovers = [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == 61005]
    out["leftover_processes_of_the_sandbox_uid"] = leftovers
    out["cgroup_removed"] = cgroup is None or not any(d.exists() for d in cgroup.dirs.values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    from graders.sandbox.bwrap import BwrapSandbox
    from graders.sandbox.process import ProcessSandbox
    environment()
    bwrap = BwrapSandbox(os.environ.get("BWRAP"))
    bwrap_probe(bwrap)
    sandbox = bwrap if REPORT["bwrap_probe"]["result"]["unavailable_reason"] is None else ProcessSandbox()
    REPORT["sandbox_used"] = sandbox.name
    gpu_session(sandbox)
    grade_ch06(sandbox)
    hostile(sandbox)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "gpu_check.json").write_text(json.dumps(REPORT, indent=2, default=str))


if __name__ == "__main__":
    main()
