"""graders/grading/repro.py and graders/report/repro.py: a failed public check's failing case as a
Python file that rebuilds the exact inputs, imports the student's function as the stub does and
calls it; written into the feedback folder and linked from the page; never for a hidden or
after-deadline check, never holding the reference solution."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graders.authoring.checks import assert_close, expect
from graders.authoring.stubs import chapter_sources
from graders.authoring.variants import load_variants, variant_files
from graders.chapters import load_chapter
from graders.grading.engine import grade
from graders.grading.repro import DATA_PREFIX, INLINE_ELEMENTS, literal, split_repro
from graders.grading.result import SubmissionResult
from graders.grading.settings import get_profile
from graders.grading.spec import Chapter
from graders.grading.submission import Submission
from graders.report.html import write_reports
from graders.report.repro import npz_bytes
from graders.worker.wire import TensorData

SETTINGS = get_profile("local").replace(call_timeout_s=5.0, exercise_timeout_s=30.0)


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _run(script: Path, submission: Path) -> str:
    """Run a repro file as a student would: in the folder that holds the submission's chNN/."""
    done = subprocess.run([sys.executable, str(script)], cwd=submission, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _returned(stdout: str):
    """What the repro printed after 'It returned:' (numpy reprs, read back)."""
    text = stdout.split("It returned:\n", 1)[1]
    return eval(text, {"array": np.array, "float64": np.float64})  # noqa: S307 - our own test's output


# --------------------------------------------------------------------------- a real chapter, end to end
@pytest.fixture(scope="module")
def momentum_feedback(process_worker, tmp_path_factory):
    """ch06.optimizers graded for a wrong variant (the momentum's sign flipped) and for the worked
    solution, and the class's feedback written."""
    chapter = load_chapter("ch06")
    root = tmp_path_factory.mktemp("repro")
    variant = next(v for v in load_variants(chapter) if v.name == "momentum_sign_flip")
    wrong = _write(root / "wrong", variant_files(chapter, variant))
    solution = _write(root / "right", {rel: text.encode() for rel, text in
                                       chapter_sources("ch06", chapter.modules, solution=True).items()})
    rows = []
    for student, folder in (("wrong", wrong), ("right", solution)):
        files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.py")}
        rows.append((student, grade(Submission("ch06", files), chapter, process_worker, SETTINGS,
                                    exercises=["ch06.optimizers"])))
    write_reports(root / "out", "ch06", rows, chapter=chapter)
    return {"wrong": wrong, "right": solution, "rows": dict(rows), "feedback": root / "out" / "feedback"}


def test_the_repro_file_reproduces_the_value_the_check_complained_about(momentum_feedback):
    result: SubmissionResult = momentum_feedback["rows"]["wrong"]
    check = next(c for c in result.exercise("ch06.optimizers").checks if c.name == "momentum_matches_torch_sgd")
    script = momentum_feedback["feedback"] / "wrong" / "repro" / "ch06.optimizers__momentum_matches_torch_sgd.py"
    assert check.status == "failed" and script.is_file()
    found = re.search(r"θ after momentum step 1 is wrong at index (\d+): expected (\S+), got (\S+)", check.message)
    assert found, check.message
    index, expected, got = int(found[1]), float(found[2]), float(found[3])
    source = script.read_text()
    assert "from ch06.optim import momentum_step" in source and "..." not in source
    theta, _ = _returned(_run(script, momentum_feedback["wrong"]))
    assert theta[index] == pytest.approx(got, rel=1e-9) and theta[index] != pytest.approx(expected, rel=1e-3)


def test_the_feedback_page_links_the_file_and_a_passing_check_has_none(momentum_feedback):
    feedback = momentum_feedback["feedback"]
    page = (feedback / "wrong.html").read_text()
    assert 'download="ch06.optimizers__momentum_matches_torch_sgd.py"' in page
    assert "python ch06.optimizers__momentum_matches_torch_sgd.py" in page
    wrong = momentum_feedback["rows"]["wrong"].exercise("ch06.optimizers")
    written = {p.name for p in (feedback / "wrong" / "repro").iterdir()}
    assert written == {f"ch06.optimizers__{c.name}.py" for c in wrong.checks if not c.passed}
    assert all("repro" not in c.to_json() for c in wrong.checks if c.passed)
    right = momentum_feedback["rows"]["right"]
    assert right.score == right.max_score
    assert not (feedback / "right").exists() and "download=" not in (feedback / "right.html").read_text()


def test_a_repro_file_holds_no_line_of_the_reference_solution(momentum_feedback):
    from geodl_ref.ch06 import optim
    solutions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", Path(optim.__file__).read_text(), re.S)
    reference = {line.strip() for body in solutions for line in body.splitlines() if len(line.strip()) > 8}
    assert len(reference) > 10
    for script in (momentum_feedback["feedback"] / "wrong" / "repro").iterdir():
        lines = {line.strip() for line in script.read_text().splitlines()}
        assert not lines & reference, script.name


# --------------------------------------------------------------------------- visibility and worker objects
chapter = Chapter("ch97", title="repro test chapter")
toy = chapter.exercise("ch97.toy", module="ch97.toy", functions=("double", "Counter"), reference="math")
SECRET = 8675.3090017


@toy.check(points=1)
def doubles(ctx):
    """double([1.5, 2.25]) = [3, 4.5]."""
    assert_close(ctx.call("double", np.array([1.5, 2.25])), np.array([3.0, 4.5]), rtol=1e-12, name="double(x)")


@toy.check(points=1, visibility="hidden")
def doubles_a_secret(ctx):
    """A hidden check with an input of its own."""
    assert_close(ctx.call("double", np.array([SECRET])), np.array([2 * SECRET]), rtol=1e-12, name="double(x)")


@toy.check(points=1, visibility="after_deadline")
def doubles_a_late_secret(ctx):
    """An after-deadline check with an input of its own."""
    assert_close(ctx.call("double", np.array([SECRET + 1])), np.array([2 * SECRET + 2]), rtol=1e-12,
                 name="double(x)")


@toy.check(points=1)
def counts(ctx):
    """A Counter adds what it is given."""
    counter = ctx.construct("Counter", 1.0)
    ctx.call_handle(counter, 2.0, method="add")
    other = ctx.construct("Counter", 100.0)
    ctx.call_handle(other, 5.0, method="add")
    ctx.call_handle(counter, 3.0, method="add")
    total = ctx.call_handle(counter, method="total")
    expect(total == 6.0, f"total() should be 6.0 after add(2.0) and add(3.0) from 1.0, got {total!r}")


TOY = """import numpy as np

def double(x):
    return np.asarray(x) * 2 + 1

class Counter:
    def __init__(self, start):
        self.values = [start]

    def add(self, value):
        self.values.append(value * 2)

    def total(self):
        return float(sum(self.values))
"""


@pytest.fixture(scope="module")
def toy_feedback(process_worker, tmp_path_factory):
    root = tmp_path_factory.mktemp("toy")
    submission = _write(root / "sub", {"ch97/__init__.py": b"", "ch97/toy.py": TOY.encode()})
    settings = SETTINGS.replace(include_hidden=True)
    result = grade(Submission("ch97", {"ch97/toy.py": TOY.encode()}), chapter, process_worker, settings)
    deadline = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    write_reports(root / "out", "ch97", [("ann", result)], deadline=deadline, now=deadline + dt.timedelta(days=1))
    return {"result": result, "submission": submission, "feedback": root / "out" / "feedback"}


def test_hidden_and_after_deadline_checks_never_get_a_repro_file(toy_feedback):
    checks = {c.name: c for c in toy_feedback["result"].exercises[0].checks}
    assert all(not c.passed for c in checks.values())
    assert checks["doubles_a_secret"].repro == checks["doubles_a_late_secret"].repro == ""
    repro = toy_feedback["feedback"] / "ann" / "repro"
    assert {p.name for p in repro.iterdir()} == {"ch97.toy__doubles.py", "ch97.toy__counts.py"}
    for path in repro.iterdir():
        assert "8675" not in path.read_text() and "8676" not in path.read_text()
    page = (toy_feedback["feedback"] / "ann.html").read_text()
    assert "8676.309" in page  # the after-deadline check's details are shown, its repro file is not
    assert "ch97.toy__doubles_a_late_secret" not in page and "ch97.toy__doubles_a_secret" not in page


def test_calls_on_a_worker_object_are_replayed_with_the_calls_that_built_it(toy_feedback):
    script = toy_feedback["feedback"] / "ann" / "repro" / "ch97.toy__counts.py"
    source = script.read_text()
    assert "obj1 = Counter(1.0)" in source and "100.0" not in source  # the other counter plays no part
    assert source.index("obj1.add(2.0)") < source.index("obj1.add(3.0)") < source.index("result = obj1.total()")
    assert _returned(_run(script, toy_feedback["submission"])) == 11.0


def test_an_import_failure_shows_no_failing_case_and_no_repro(process_worker):
    broken = Submission("ch97", {"ch97/toy.py": b"import numpy as np\nraise RuntimeError('broken on import')\n"})
    result = grade(broken, chapter, process_worker, SETTINGS)
    for check in result.exercises[0].checks:
        assert check.counterexample == "" and check.repro == "", check


# --------------------------------------------------------------------------- exact literals
def _rebuilt(value):
    import torch
    return eval(literal(value), {"np": np, "torch": torch})  # noqa: S307 - text made by literal()


def test_literals_rebuild_every_value_bit_for_bit():
    g = np.random.default_rng(0)
    floats = np.concatenate([g.normal(size=20) * 10.0 ** g.integers(-300, 300, 20),
                             [np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308]])
    small = np.concatenate([g.normal(size=20) * 10.0 ** g.integers(-30, 30, 20), [np.nan, np.inf, -0.0, 1e-40]])
    half = np.append(g.normal(size=9) * 100, np.nan).astype(np.float16)
    arrays = [floats, floats.reshape(2, 13), small.astype(np.float32), half, g.integers(-2**62, 2**62, 7),
              np.array([True, False]), (floats[:6] + 1j * floats[6:12]), np.zeros((0, 3)), np.array(2.5),
              g.integers(0, 255, 5).astype(np.uint8)]
    for array in arrays:
        back = _rebuilt(array)
        assert back.dtype == array.dtype and back.shape == array.shape and back.tobytes() == array.tobytes(), array
    nested = {"eta": 0.1, "sizes": (2,), "pair": [np.float64(1 / 3), None], (1, "k"): "text\u202e", "z": 1 - 2j}
    assert repr(_rebuilt(nested)) == repr({k: (float(v) if isinstance(v, np.float64) else v) for k, v in nested.items()}
                                          | {"pair": [1 / 3, None]})


def test_tensor_literals_keep_dtype_values_and_flags():
    import torch
    values = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    for dtype in ("float32", "bfloat16", "float64"):
        array = values if dtype != "float64" else values.astype(np.float64)
        if dtype == "bfloat16":
            array = torch.from_numpy(values).to(torch.bfloat16).float().numpy()
        tensor = _rebuilt(TensorData(array, dtype, requires_grad=True))
        want = torch.from_numpy(array.copy()).to(getattr(torch, dtype))
        assert tensor.dtype == want.dtype and tensor.requires_grad and torch.equal(tensor.detach(), want)


def test_larger_arrays_travel_beside_the_source_and_load_from_the_npz(tmp_path):
    from graders.grading.repro import _pack, _Script

    big = np.random.default_rng(2).normal(size=INLINE_ELEMENTS + 1)
    script = _Script(toy)
    text = script.literal((big, 1.0))
    source = f"import numpy as np\ninputs = np.load('{tmp_path}/x.npz')\nvalue = {text}\n"
    stored = source + "".join(f"{DATA_PREFIX}{name} {_pack(array)}\n" for name, array in script.spilled.values())
    plain, arrays = split_repro(stored)
    assert plain == source and set(arrays) == {"a0"}
    (tmp_path / "x.npz").write_bytes(npz_bytes(arrays))
    namespace: dict = {}
    exec(plain, namespace)  # noqa: S102 - text made by the test
    assert namespace["value"][0].tobytes() == big.tobytes() and namespace["value"][1] == 1.0
