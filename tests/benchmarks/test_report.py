"""benchmarks/_report.py: a benchmark's scratch folder goes as it exits, unless asked to stay."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

_MAKE_A_SCRATCH_FOLDER = """
import sys
from _report import scratch_folder
folder = scratch_folder("geodl-test-scratch-")
(folder / "class").mkdir()
(folder / "class" / "results.db").write_text("rows")
print(folder)
"""


def _scratch_after_exit(tmp_path: Path, **env: str) -> tuple[Path, str]:
    done = subprocess.run([sys.executable, "-c", _MAKE_A_SCRATCH_FOLDER], cwd=BENCHMARKS, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "TMPDIR": str(tmp_path), **env})
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip()), done.stderr


def test_a_benchmarks_scratch_folder_is_removed_as_it_exits(tmp_path):
    folder, _ = _scratch_after_exit(tmp_path)
    assert folder.parent == tmp_path and not folder.exists()


def test_geodl_bench_keep_keeps_the_scratch_folder_and_says_where(tmp_path):
    folder, said = _scratch_after_exit(tmp_path, GEODL_BENCH_KEEP="1")
    assert (folder / "class" / "results.db").read_text() == "rows"
    assert str(folder) in said
