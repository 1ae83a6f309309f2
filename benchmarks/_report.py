"""Where a benchmark's report goes: ``benchmarks/out/<name>.json``, and printed."""
from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def write_report(name: str, report: dict) -> None:
    """Write ``report`` to ``benchmarks/out/<name>.json`` and print it."""
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (OUT / f"{name}.json").write_text(text)
    print(text)
