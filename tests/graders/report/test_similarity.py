"""The similarity report (graders/report/similarity.py) and ``geodl similarity``: derived copies
outrank independent solutions, the stub never counts, hostile files are read, the page escapes."""
from __future__ import annotations

import difflib
import itertools
import re

import pytest

from graders.cli import main
from graders.report.similarity import (
    exercise_similarity,
    exercise_source,
    normalized_tokens,
    write_html,
)
from tests.graders.report._synthetic_class import STUB, reformat, rename, reorder, source, synthetic_class

NAMES = ("pairwise_sq_dists", "knn_predict")


def _scores(files: dict[str, str], **options) -> dict[frozenset[str], float]:
    report = exercise_similarity("syn.knn", "syn/knn.py", files, stub=STUB, names=NAMES, **options)
    scores = {frozenset(pair): 0.0 for pair in itertools.combinations(files, 2)}
    scores.update({frozenset((p.a, p.b)): p.score for p in report.pairs})
    return scores


def test_every_derived_pair_ranks_above_every_independent_pair():
    files, derived = synthetic_class()
    scores = _scores(files)
    lowest_derived = min(scores[p] for p in derived)
    highest_independent = max(s for p, s in scores.items() if p not in derived)
    assert len(files) == 24 and len(derived) == 11
    assert lowest_derived > highest_independent + 0.3, (lowest_derived, highest_independent)


@pytest.mark.parametrize("transform", [rename, reformat, reorder], ids=lambda f: f.__name__)
def test_each_disguise_leaves_the_token_stream_alike(transform):
    original = source(3)
    same = [t.text for t in normalized_tokens(original)]
    disguised = [t.text for t in normalized_tokens(transform(original))]
    assert difflib.SequenceMatcher(None, same, disguised, autojunk=False).ratio() > 0.9


def test_statement_order_and_comments_do_not_change_the_stream():
    a = "def f(x):\n    a = x + 1  # one\n    b = x * 2\n    return a, b\n\n\ndef g():\n    pass\n"
    b = "def g():\n    pass\n\ndef f(y):\n    '''doc'''\n    q = y * 2\n    p = y + \\\n         1\n    return p, q\n"
    assert [t.text for t in normalized_tokens(a)] == [t.text for t in normalized_tokens(b)]


def test_the_stub_gives_no_similarity():
    files = {"alice": STUB, "bob": STUB + "\n# done\n", "carol": source(0)}
    assert exercise_similarity("syn.knn", "syn/knn.py", files, stub=STUB, names=NAMES).pairs == ()
    # without the stub excluded, the same files do look alike: the exclusion is what removes them
    unexcluded = exercise_similarity("syn.knn", "syn/knn.py", files, names=NAMES).pairs
    assert unexcluded and unexcluded[0].score > 0.9


def test_only_the_exercise_functions_are_compared():
    text = "import numpy as np\n\ndef other(a):\n    return a + 1\n\ndef knn_predict(X):\n    return X\n"
    kept = exercise_source(text, ["knn_predict"])
    assert "other" not in kept and "def knn_predict(X):" in kept
    assert kept.splitlines()[5] == "def knn_predict(X):"  # line numbers stay
    assert exercise_source("def (:\n", ["f"]) == "def (:\n"


HOSTILE = {
    "nul": b"def knn_predict(X):\n    return X\x00\x00 + 1\n",
    "huge_line": b"x = [" + b"1, " * 400_000 + b"]\n",
    "latin1": "def knn_predict(X):\n    return 'café'\n".encode("latin-1") + b"\xff\xfe\n",
    "syntax_error": b"def knn_predict(X:\n    return [1, 2\n",
    "bad_indent": b"def knn_predict(X):\n        a = 1\n    b = 2\n",
    "stray_dedent": b"if x:\n    y = 1\n  z = 2\n",
    "empty": b"",
    "only_comments": b"# nothing\n# here\n",
    "deep": b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
}


def test_hostile_files_do_not_crash_it():
    report = exercise_similarity("syn.knn", "syn/knn.py", HOSTILE, stub=STUB, names=NAMES)
    assert set(report.sources) == set(HOSTILE)
    assert "\x00" not in report.sources["nul"]
    assert all(0.0 <= p.score <= 1.0 for p in report.pairs)


def test_a_copy_with_a_syntax_error_is_still_found():
    broken = source(0).replace("return np.array(out)", "return np.array(out")
    files = {"alice": source(0), "bob": broken, "carol": source(7)}
    pairs = exercise_similarity("syn.knn", "syn/knn.py", files, stub=STUB, names=NAMES).pairs
    assert (pairs[0].a, pairs[0].b) == ("alice", "bob") and pairs[0].score > 0.5


def test_the_page_escapes_names_and_code(tmp_path):
    evil = "<script>alert(1)</script>"
    hostile_code = source(0).replace("counts = np.bincount(row)", f"counts = np.bincount(row)  # {evil}\x1b[2J")
    files = {evil: hostile_code, "bob\u202e": source(0)}
    report = exercise_similarity("syn.knn", "syn/knn.py", files, stub=STUB, names=NAMES)
    page = write_html([report], tmp_path / "sim.html", assignment="syn").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page and "\\u202e" in page
    assert 'class="hit"' in page  # the matched lines are highlighted


@pytest.fixture
def small_class(tmp_path):
    from graders.authoring.stubs import chapter_sources
    solution = chapter_sources("ch03", ["ch03.regression"], solution=True)["ch03/regression.py"]
    stub = chapter_sources("ch03", ["ch03.regression"], solution=False)["ch03/regression.py"]
    students = {"alice": solution, "bob": rename(solution, keep=("ols", "ridge", "ridge_augmented")),
                "carol": stub, "dave": "def ols(:\n\x00\xff"}
    for name, text in students.items():
        folder = tmp_path / "class" / name / "ch03"
        folder.mkdir(parents=True)
        (folder / "regression.py").write_text(text, errors="surrogateescape")
    return tmp_path / "class"


def test_cli_prints_a_table_and_writes_the_page(small_class, tmp_path, capsys):
    out = tmp_path / "out" / "similarity.html"
    code = main(["similarity", str(small_class), "--assignment", "ch03", "--exercise", "least_squares",
                 "--html", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    rows = [line for line in printed.splitlines() if re.match(r"│\s*\d", line)]
    assert re.search(r"alice\s*│\s*bob\s*│\s*1\.00", rows[0]), printed
    assert not any("carol" in row for row in rows)  # the stub alone shares nothing
    assert "alice" in out.read_text() and "ch03.least_squares" in out.read_text()


def test_cli_names_an_unknown_exercise(small_class, capsys):
    code = main(["similarity", str(small_class), "--assignment", "ch03", "--exercise", "nope"])
    assert code == 2 and "no exercise ch03.nope" in capsys.readouterr().err


def _graded_store(small_class, tmp_path, *, students=("alice", "bob", "carol", "dave")):
    """A results store holding a grading of each of ``students`` (scores do not matter here)."""
    from graders.batch.discovery import BatchItem, read_submission
    from graders.batch.store import ResultStore
    from graders.chapters import load_chapter
    from graders.grading.result import SubmissionResult

    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    for name in students:
        submission = read_submission(BatchItem(student=name, path=str(small_class / name)), load_chapter("ch03"))
        store.save(SubmissionResult(assignment="ch03", score=0.0, max_score=1.0, status="graded",
                                    submission=submission.describe()), student=name)
    store.close()
    return url


def test_cli_reads_the_class_from_the_results_store(small_class, tmp_path, capsys):
    url = _graded_store(small_class, tmp_path)
    (small_class / "dave" / "ch03" / "regression.py").write_text("def ols(X, y):\n    return 0\n")
    code = main(["similarity", "--db", url, "--assignment", "ch03", "--exercise", "least_squares"])
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if re.match(r"│\s*\d", line)]
    assert code == 0
    assert re.search(r"alice\s*│\s*bob\s*│\s*1\.00", rows[0]), printed
    assert "skipped dave" in printed and "changed since they were graded" in printed


@pytest.mark.parametrize(("argv", "expected"), [
    (["similarity", "-a", "ch03"], "name the class once"),
    (["similarity", "somewhere", "--db", "x.db", "-a", "ch03"], "CLASS_DIR and --db both name the class"),
    (["similarity", "--db", "/nonexistent/results.db", "-a", "ch03"], "no results store at"),
])
def test_cli_names_a_mistaken_class_in_one_line(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_cli_says_when_the_store_holds_another_assignment(small_class, tmp_path, capsys):
    url = _graded_store(small_class, tmp_path, students=("alice",))
    assert main(["similarity", "--db", url, "-a", "ch06"]) == 2
    err = capsys.readouterr().err
    assert "holds no ch06 submission" in err and "it holds ch03" in err
