"""What every benchmark shares: where its report goes (``benchmarks/out/<name>.json``, and
printed) and its scratch folder (removed as it exits)."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

#: Set to keep every benchmark's scratch folder (the class, the batches' stores and gradebooks).
KEEP_SCRATCH = "GEODL_BENCH_KEEP"


def write_report(name: str, report: dict) -> None:
    """Write ``report`` to ``benchmarks/out/<name>.json`` and print it."""
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (OUT / f"{name}.json").write_text(text)
    print(text)


def scratch_folder(prefix: str) -> Path:
    """A new folder for a benchmark's class, stores and gradebooks, removed as the benchmark's
    process exits; with ``GEODL_BENCH_KEEP=1`` in the environment it stays, and its path is
    printed to stderr."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.environ.get(KEEP_SCRATCH):
        print(f"scratch folder kept: {folder}", file=sys.stderr)
    else:
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
