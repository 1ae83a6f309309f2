"""Running a snippet in a fresh interpreter: for what depends on what a process imported first."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def last_line_printed(script: str) -> str:
    """Run ``script`` with ``python -c`` from the repository (``graders`` importable), require it
    to exit 0, and return the last line it printed."""
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]
