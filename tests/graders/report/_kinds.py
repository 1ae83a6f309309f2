"""Results holding each kind of exercise a report must show (passed, partial, the unchanged stub, an
import error, a missing module, a timed-out check, a failing check with its counterexample), and a
class with each submission status word; built through the grading's own scoring
(:func:`graders.grading.result.exercise_result`)."""
from __future__ import annotations

from types import SimpleNamespace

from graders.grading.result import CheckResult, SubmissionResult, exercise_result, total

STUB_MESSAGE = "not implemented yet (this is still the stub): {f} raises NotImplementedError at ch01/frames.py:{line}"
IMPORT_ERROR = "could not import ch01/conjugate.py: SyntaxError: invalid syntax (line 12) at ch01/conjugate.py:12"
TIME_LIMIT = "exceeded the 4.97 s time limit calling min_norm_via_dual(array(shape=(1, 2)), array(shape=(1,)))"
COUNTEREXAMPLE = "Failing test case: grad_logdet(array([[2.12573022, 0.86789514], [0.64042265, 2.10490012]]))"


def check(name, points, max_points=1.0, *, status=None, message="", counterexample="", stub="", seed=None,
          visibility="public", description="") -> CheckResult:
    status = status or ("passed" if points >= max_points else "failed")
    return CheckResult(name=name, passed=status == "passed", points=points, max_points=max_points, status=status,
                       message=message, counterexample=counterexample, stub=stub, seed=seed, visibility=visibility,
                       description=description or f"what {name} checks, in a sentence or two.")


def passed():
    return "ch01.vec_kron", [check("kron_matches_numpy", 2.0, 2.0), check("vec_stacks_columns", 1.0)], ""


def partial():
    return "ch01.matrix_calculus", [
        check("num_grad_exact_on_quadratics", 1.0),
        check("grad_logdet_vs_finite_differences", 0.0, 2.0, seed=2829545296216137921, counterexample=COUNTEREXAMPLE,
              message="grad_logdet(X) is wrong at index [0, 0]: expected 0.5371520329, got 2.000001 "
                      "(error 1.46 > tolerance 5.42e-07 = 1e-06 × max|expected| 0.542)"),
        check("closed_forms_match_lemma_1_7", 0.0, 1.0, visibility="hidden", message="SECRET")], ""


def stub():
    calls = [("perfect_reconstruction", "analyze", 102), ("frame_bounds_are_extreme_eigenvalues", "frame_bounds", 42),
             ("mercedes_benz_frame_is_tight", "frame_bounds", 42)]
    return "ch01.frames", [check(name, 0.0, 2.0, status="student_error", stub=f,
                                 message=STUB_MESSAGE.format(f=f, line=line)) for name, f, line in calls], ""


def import_error():
    return "ch01.convex_conjugate", [check(name, 0.0, status="student_error", message=IMPORT_ERROR)
                                     for name in ("conj_numeric_on_known_conjugates", "fenchel_young")], IMPORT_ERROR


def timed_out():
    return "ch01.prox_duality", [
        check("prox_optimality", 1.0),
        check("min_norm_via_dual_solution", 0.0, 2.0, status="timeout", message=TIME_LIMIT,
              counterexample="Failing test case: min_norm_via_dual(array([[ 0.12573022, -0.13210486]]), "
                             "array([0.64042265]))")], ""


def missing(exercise_id="ch01.sym_conjugates", module="ch01/derivations.py"):
    reason = f"{module} is missing from the submission"
    checks = [check("conjugate_of_exp", 0.0, status="student_error", message=f"not graded: {reason}")]
    return exercise_id, checks, reason


def exercise(exercise_id, checks, message=""):
    """An exercise result as the engine scores one (``missing``: zeroed for its missing module)."""
    result = exercise_result(SimpleNamespace(id=exercise_id, checks=()), checks, message=message)
    if message.endswith("is missing from the submission"):
        return result.__class__(exercise_id, 0.0, result.max_score, "missing", result.checks, message)
    return result


def submission(*kinds, status="graded", notes=(), message="", student="ann") -> SubmissionResult:
    exercises = tuple(exercise(*kind) for kind in kinds)
    score, max_score = total(exercises)
    return SubmissionResult(assignment="ch01", score=score, max_score=max_score, status=status, exercises=exercises,
                            message=message, duration_s=3.2,
                            submission={"path": f"/class/{student}", "sha256": "4779791326ee0e99",
                                        "notes": list(notes)},
                            grader={"version": "0.1.0"}, settings={"seed": 0},
                            started_at="2026-05-01T12:00:00+00:00")


def every_kind() -> SubmissionResult:
    """One submission holding each kind of exercise."""
    return submission(passed(), partial(), stub(), import_error(), timed_out(), missing())


EMPTY_NOTE = "no ch01/ folder, module files or notebook found in the submission"


def like_every_kind(kind: str) -> SubmissionResult:
    """A submission with the exercises of :func:`every_kind`, each ``passed``, the unchanged ``stub``
    or ``missing``."""
    exercises = []
    for graded in every_kind().exercises:
        function, module = graded.id.split(".", 1)[1], graded.id.replace(".", "/") + ".py"
        checks = [(c.name, c.max_points, c.visibility) for c in graded.checks]
        if kind == "passed":
            exercises.append((graded.id, [check(n, m, m, visibility=v) for n, m, v in checks], ""))
        elif kind == "stub":
            message = STUB_MESSAGE.format(f=function, line=1)
            exercises.append((graded.id, [check(n, 0.0, m, status="student_error", stub=function, visibility=v,
                                                message=message) for n, m, v in checks], ""))
        else:
            exercises.append((graded.id, [check(n, 0.0, m, status="student_error", visibility=v,
                                                message=f"not graded: {module} is missing from the submission")
                                          for n, m, v in checks], f"{module} is missing from the submission"))
    notes = [EMPTY_NOTE] if kind == "missing" else []
    return submission(*exercises, notes=notes, message="; ".join(notes))


def class_rows() -> list[tuple[str, SubmissionResult]]:
    """A class with each status word: graded (twice), empty, unchanged stub, error, timed out."""
    top = every_kind().max_score
    return [
        ("ann", every_kind()),
        ("bob", like_every_kind("passed")),
        ("cy", like_every_kind("missing")),
        ("dee", like_every_kind("stub")),
        ("eve", SubmissionResult("ch01", 0.0, top, "error", message="the submission could not be read")),
        ("fay", SubmissionResult("ch01", 0.0, top, "timeout", message="stopped at its 95 s time limit")),
    ]
