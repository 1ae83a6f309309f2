"""The similarity report (``graders/report/similarity.py``) on the synthetic class of
``tests/graders/report/_synthetic_class.py``: the gap between derived and independent pairs,
precision and recall at the best threshold, and the time for a class of about 200 submissions.

With ``--copydetect PATH`` (a folder holding the ``copydetect`` package, e.g. from
``pip install --no-deps --target PATH copydetect==0.5.0 tqdm``), copydetect's own winnowing
(pygments tokens, its default k = 25 characters, window 1) is scored on the same class, with the
same stub as boilerplate, as the baseline.

    .venv/bin/python benchmarks/bench_similarity.py [--copydetect /tmp/cdlib]
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graders.report.similarity import exercise_similarity  # noqa: E402
from tests.graders.report._synthetic_class import STUB, synthetic_class  # noqa: E402

NAMES = ("pairwise_sq_dists", "knn_predict")


def geodl_scores(files: dict[str, str], **options) -> dict[frozenset[str], float]:
    report = exercise_similarity("syn.knn", "syn/knn.py", files, stub=STUB, names=NAMES, **options)
    scores = {frozenset(pair): 0.0 for pair in itertools.combinations(files, 2)}
    scores.update({frozenset((p.a, p.b)): p.score for p in report.pairs})
    return scores


def copydetect_scores(files: dict[str, str], folder: str) -> dict[frozenset[str], float]:
    sys.path.insert(0, folder)
    import io

    from copydetect import CodeFingerprint, compare_files
    stub = CodeFingerprint("stub.py", 25, 1, fp=io.StringIO(STUB))
    prints = {s: CodeFingerprint(f"{s}.py", 25, 1, boilerplate=list(stub.hashes), fp=io.StringIO(t))
              for s, t in files.items()}
    scores = {}
    for a, b in itertools.combinations(files, 2):
        _, (sim_a, sim_b), _ = compare_files(prints[a], prints[b])
        scores[frozenset((a, b))] = (sim_a + sim_b) / 2
    return scores


def figures(scores: dict[frozenset[str], float], derived: set[frozenset[str]]) -> dict:
    """The gap (lowest derived minus highest independent score), and precision and recall at the
    threshold of best F1 (a pair is flagged when its score is at least the threshold)."""
    positives = [scores[p] for p in derived]
    negatives = [s for p, s in scores.items() if p not in derived]
    best = (-1.0, 0.0, 0.0, 0.0)
    for threshold in sorted(set(scores.values())):
        flagged_true = sum(s >= threshold for s in positives)
        flagged = flagged_true + sum(s >= threshold for s in negatives)
        precision = flagged_true / flagged if flagged else 1.0
        recall = flagged_true / len(positives)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0]:
            best = (f1, threshold, precision, recall)
    return {"pairs": len(scores), "derived_pairs": len(positives), "lowest_derived": round(min(positives), 3),
            "highest_independent": round(max(negatives), 3), "gap": round(min(positives) - max(negatives), 3),
            "best_threshold": round(best[1], 3), "precision": round(best[2], 3), "recall": round(best[3], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copydetect", help="a folder holding the copydetect package (the baseline)")
    parser.add_argument("--copies", type=int, default=19, help="copies per derivation in the large class")
    parser.add_argument("--k", type=int, default=None)
    parser.add_argument("--window", type=int, default=None)
    args = parser.parse_args()
    options = {name: value for name, value in (("k", args.k), ("window", args.window)) if value is not None}
    out: dict = {}
    small, small_derived = synthetic_class()
    large, large_derived = synthetic_class(copies=args.copies)
    methods = {"geodl": lambda files: geodl_scores(files, **options)}
    if args.copydetect:
        methods["copydetect"] = lambda files: copydetect_scores(files, args.copydetect)
    for name, method in methods.items():
        out[name] = {"small": figures(method(small), small_derived)}
        start = time.perf_counter()
        scores = method(large)
        out[name]["large"] = figures(scores, large_derived)
        out[name]["large"].update(submissions=len(large), seconds=round(time.perf_counter() - start, 2))
    out["class_sizes"] = {"small": len(small), "large": len(large)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
