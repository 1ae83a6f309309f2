"""geodl gradescope: the bundle, and its run_autograder run as Gradescope runs it, on an imitation
of the /autograder layout in a temporary folder (GEODL_AUTOGRADER_ROOT), with this checkout's
interpreter standing in for the venv setup.sh would install (its pip installs are not run)."""
from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from graders.authoring import gradescope
from graders.authoring.gradescope import (
    AutograderPaths,
    BundleConfig,
    build_bundle,
    choose_sandbox,
    find_submission,
    read_release,
)
from graders.authoring.release import release_files
from graders.authoring.stubs import chapter_sources
from graders.authoring.variants import load_variants, variant_files
from graders.chapters import load_chapter, load_release
from graders.cli import gradescope as command
from graders.cli.options import make_worker
from graders.errors import ConfigurationError
from graders.grading.engine import grade
from graders.grading.settings import get_profile
from graders.grading.submission import Submission
from graders.report.exports import GRADESCOPE_VISIBILITY, gradescope_failure
from graders.sandbox import default_backend

CHAPTER = "ch06"
#: Installers pip brings along itself; requirements.lock (a pip freeze) pins none of them.
INSTALLERS = {"pip", "setuptools", "wheel"}


@pytest.fixture(scope="module")
def chapter():
    return load_chapter(CHAPTER)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build_bundle(CHAPTER, tmp_path_factory.mktemp("bundle") / "ch06-gradescope.zip")


@pytest.fixture(scope="module")
def solution(chapter):
    return chapter_sources(CHAPTER, chapter.modules, solution=True)


@pytest.fixture(scope="module")
def release():
    return load_release(CHAPTER)


def _layout(root: Path, bundle, files: dict[str, str | bytes]) -> AutograderPaths:
    """What Gradescope builds: the zip unpacked into source/, run_autograder copied to the root,
    the submission's files under submission/, an empty results/."""
    paths = AutograderPaths(root)
    paths.source.mkdir(parents=True)
    with zipfile.ZipFile(bundle.path) as archive:
        archive.extractall(paths.source)
    for name in ("run_autograder", "setup.sh"):
        (paths.source / name).chmod(0o755)
    shutil.copy(paths.source / "run_autograder", root / "run_autograder")
    paths.submission.mkdir()
    paths.results.parent.mkdir()
    for rel, text in files.items():
        (paths.submission / rel).parent.mkdir(parents=True, exist_ok=True)
        (paths.submission / rel).write_bytes(text.encode() if isinstance(text, str) else text)
    return paths


def _run_autograder(paths: AutograderPaths, *, python: str = sys.executable, path: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(GEODL_AUTOGRADER_ROOT=str(paths.root), GEODL_AUTOGRADER_PYTHON=python)
    if path is not None:
        env["PATH"] = path
    done = subprocess.run(["/bin/bash", str(paths.root / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=180, cwd=paths.root)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(paths.results.read_text()), done.stdout


def _visible_text(results: dict) -> str:
    """Everything of results.json a student sees before the grades are published (the output and
    the visible tests; stdout is the staff's)."""
    parts = [results.get("output", "")]
    for test in results["tests"]:
        if test["visibility"] == "visible":
            parts += [test["name"], test.get("output", "")]
    return "\n".join(parts)


def _failed_tests(results: dict) -> list[str]:
    return sorted(t["name"] for t in results["tests"] if t["status"] != "passed")


# --------------------------------------------------------------------------- the bundle
def test_the_bundle_holds_the_scripts_at_its_root_and_only_this_chapter(bundle):
    with zipfile.ZipFile(bundle.path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        config = json.loads(archive.read("geodl-gradescope.json"))
    names = set(infos)
    assert {"setup.sh", "run_autograder", "requirements.txt", "constraints.txt", "geodl-gradescope.json",
            "geodl-release.json", "results-if-grading-fails.json"} <= names
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    assert "graders/chapters/ch06/mlp_backprop.py" in names and "geodl_ref/ch06/mlp.py" in names
    assert "graders/worker/warden.py" in names and "geodl_ref/_validation.py" in names
    assert not [n for n in names if re.match(r"^(graders/chapters|geodl_ref)/ch(?!06)\d\d/", n)]
    assert not [n for n in names if "/variants/" in n or "__pycache__" in n or n.endswith(".pyc")]
    assert BundleConfig.from_json(config) == BundleConfig(CHAPTER, sandbox="auto", seed=0)
    assert bundle.files == tuple(sorted(names))


def test_the_bundle_carries_what_the_students_received_and_a_result_for_a_grader_that_fails(bundle, release,
                                                                                           tmp_path):
    source = _unzipped(bundle.path, tmp_path)
    assert read_release(source, CHAPTER) == release  # the stubs to tell apart, the provided files to restore
    assert "ch06/_validation.py" in release.provided
    fallback = json.loads((source / "results-if-grading-fails.json").read_text())
    assert fallback == gradescope_failure(gradescope.FALLBACK_REASON, extra_data={"geodl": {
        "chapter": CHAPTER, "status": "error", "reference": "grader-did-not-run"}})
    (source / "geodl-release.json").write_text(json.dumps({"schema": "geodl.release/1", "assignment": "ch12"}))
    with pytest.raises(ConfigurationError, match="expected 'geodl.release/1' of 'ch06'"):
        read_release(source, CHAPTER)


def test_nothing_writes_the_bundle_where_students_get_their_release(tmp_path):
    inside = gradescope.ASSIGNMENTS_DIR / CHAPTER / "autograder.zip"
    with pytest.raises(ConfigurationError, match="is under .*assignments, what students receive"):
        build_bundle(CHAPTER, inside)
    assert not inside.exists()
    bundle_only = {"setup.sh", "run_autograder", gradescope.CONFIG_NAME, gradescope.RELEASE_NAME,
                   gradescope.FALLBACK_NAME, "constraints.txt"}
    released = {Path(rel).name for rel in release_files(CHAPTER)}
    on_disk = {p.name for p in gradescope.ASSIGNMENTS_DIR.rglob("*")}
    assert not (released | on_disk) & bundle_only
    assert not [n for n in released | on_disk if n.endswith(".zip")]


def test_the_same_sources_give_the_same_zip(bundle, tmp_path):
    again = build_bundle(CHAPTER, tmp_path / "again.zip")
    assert again.path.read_bytes() == bundle.path.read_bytes()


def test_setup_sh_and_run_autograder_are_valid_bash(tmp_path, bundle):
    with zipfile.ZipFile(bundle.path) as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / script).read_text().startswith("#!/usr/bin/env bash\n")


def test_the_requirements_are_what_grading_imports_pinned_as_the_lock_pins_them(bundle, chapter):
    with zipfile.ZipFile(bundle.path) as archive:
        pins = archive.read("requirements.txt").decode().split()
        constraints = archive.read("constraints.txt").decode().split()
    assert pins == list(bundle.requirements)
    names = {gradescope._key(p.split("==")[0]) for p in pins}
    # ch06's checks use torch as their oracle, though its sandbox holds none
    assert {"hypothesis", "numpy", "msgpack", "nbformat", "torch"} <= names and "torch" not in chapter.sandbox_packages
    assert not names & {"scikit-learn", "pot", "dask", "sqlalchemy", "nbgrader", "pytest"}
    assert sorted(constraints) == sorted(f"{n}=={v}" for n, v in gradescope.locked_versions().items())
    assert _installed_closure(pins) >= names


def _installed_closure(pins) -> set[str]:
    """The distributions pip installs for ``pins`` (normalized names), asserting on the way that
    every requirement among them holds at the version requirements.lock pins (so the install is
    satisfiable from the lock alone), and that this checkout has that version installed."""
    lock = {gradescope._key(name): version for name, version in gradescope.locked_versions().items()}
    todo, seen = [Requirement(p) for p in pins], set()
    while todo:
        requirement = todo.pop()
        key = gradescope._key(requirement.name)
        if key in seen or (requirement.marker is not None and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(key)
        installed = metadata.version(requirement.name)
        if key in INSTALLERS:
            assert requirement.specifier.contains(installed, prereleases=True), requirement
            continue
        assert key in lock, f"{requirement} is not in requirements.lock"
        assert requirement.specifier.contains(lock[key], prereleases=True), f"{requirement} vs lock {lock[key]}"
        assert requirement.specifier.contains(installed, prereleases=True)
        todo += [Requirement(r) for r in metadata.requires(requirement.name) or []]
    return seen


def test_the_command_writes_the_zip_and_warns_it_is_not_for_students(tmp_path, capsys):
    from graders.cli import main

    assert main(["gradescope", CHAPTER, str(tmp_path / "out.zip"), "--sandbox", "bwrap"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote {tmp_path / 'out.zip'}: the Gradescope autograder of ch06")
    assert out[1].startswith("warning: out.zip holds the reference solutions and hidden checks of ch06")
    assert "never share it with students" in out[1]
    assert BundleConfig.read(_unzipped(tmp_path / "out.zip", tmp_path / "x")).sandbox == "bwrap"


def _unzipped(zip_path: Path, folder: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return folder


def test_an_unknown_chapter_or_sandbox_is_refused(tmp_path):
    from graders.errors import ConfigurationError
    with pytest.raises(ConfigurationError, match="no grader for assignment 'ch99'"):
        build_bundle("ch99", tmp_path / "x.zip")
    with pytest.raises(ConfigurationError, match="sandbox='docker' is not one of auto, bwrap, process"):
        build_bundle(CHAPTER, tmp_path / "x.zip", sandbox="docker")
    assert not (tmp_path / "x.zip").exists()


# --------------------------------------------------------------------------- run_autograder
def test_the_worked_solution_scores_full_marks_and_hidden_checks_stay_hidden(tmp_path, bundle, chapter, solution):
    paths = _layout(tmp_path / "autograder", bundle, solution)
    results, stdout = _run_autograder(paths)
    assert results["score"] == chapter.max_points == sum(t["max_score"] for t in results["tests"])
    assert all(t["status"] == "passed" for t in results["tests"])
    specs = {f"{e.id} · {c.name}": c for e in chapter.exercises.values() for c in e.checks}
    assert sorted(t["name"] for t in results["tests"]) == sorted(specs)
    for test in results["tests"]:
        assert test["visibility"] == GRADESCOPE_VISIBILITY[specs[test["name"]].visibility]
        if specs[test["name"]].visibility == "hidden":
            assert test["visibility"] == "after_published"
            assert set(test) == {"name", "score", "max_score", "status", "visibility"}
    hidden = [c for c in specs.values() if c.visibility == "hidden"]
    assert [c for c in hidden if c.description], "ch06's hidden checks have descriptions that must not leak"
    shown = _visible_text(results)
    assert not [c.description for c in hidden if c.description and c.description in shown]
    assert results["stdout_visibility"] == "hidden" and results["test_output_format"] == "text"
    geodl = results["extra_data"]["geodl"]
    assert geodl["sandbox"] == default_backend() and geodl["chapter"] == CHAPTER and geodl["status"] == "graded"
    # the bundle's own grader ran, not this checkout's
    assert f"({paths.source.resolve() / 'graders'}): grading ch06 in the {default_backend()} sandbox" in stdout


def test_a_stub_scores_zero_in_the_process_backend_where_bwrap_cannot_run(tmp_path, bundle, chapter):
    paths = _layout(tmp_path / "autograder", bundle, chapter_sources(CHAPTER, chapter.modules, solution=False))
    tools = tmp_path / "bin"  # a PATH without bubblewrap: what run_autograder itself calls, nothing more
    tools.mkdir()
    for tool in ("mkdir", "rm"):
        (tools / tool).symlink_to(shutil.which(tool))
    results, stdout = _run_autograder(paths, path=str(tools))
    # each exercise is the stub: one test per visibility of its checks, saying so once
    groups = {(e.id, GRADESCOPE_VISIBILITY[c.visibility]) for e in chapter.exercises.values() for c in e.checks}
    assert results["score"] == 0 and len(results["tests"]) == len(groups)
    geodl = results["extra_data"]["geodl"]
    assert geodl["sandbox"] == "process" and "bubblewrap is not installed" in geodl["sandbox_note"]
    assert "grading ch06 in the process sandbox, which is no security boundary" in stdout
    first = results["tests"][0]
    assert first["visibility"] == "visible" and first["output"].startswith("still the released stub: fill in ")
    assert results["extra_data"]["geodl"]["status"] == "unchanged stub"
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    assert hidden and all(set(t) == {"name", "score", "max_score", "status", "visibility"} for t in hidden)
    assert "Traceback" not in _visible_text(results)


def test_a_syntax_error_costs_its_module_with_a_one_line_reason(tmp_path, bundle, chapter, solution):
    broken = {**solution, "ch06/mlp.py": solution["ch06/mlp.py"] + "\ndef oops(:\n"}
    results, _ = _run_autograder(_layout(tmp_path / "autograder", bundle, broken))
    mlp = chapter.exercises["ch06.mlp_backprop"]
    assert results["score"] == chapter.max_points - mlp.max_points
    public = sum(c.points for c in mlp.checks if c.visibility == "public")
    line = next(li for li in results["output"].splitlines() if li.startswith("ch06.mlp_backprop:"))
    assert line.startswith(f"ch06.mlp_backprop: 0 / {public:g} in public checks, {mlp.max_points - public:g} more in "
                           "checks shown later (error): could not import ch06/mlp.py: SyntaxError"), line
    assert "Traceback" not in _visible_text(results)


@pytest.mark.parametrize("variant_id", ["ch06.optimizers:minibatch_missing_scale",
                                        "ch06.variational_bp:wrong_product_order"])
def test_a_wrong_variant_loses_exactly_the_checks_it_fails_when_graded_here(tmp_path, bundle, chapter, variant_id):
    [variant] = [v for v in load_variants(chapter) if v.id == variant_id]
    files = variant_files(chapter, variant)
    results, _ = _run_autograder(_layout(tmp_path / "autograder", bundle, files))
    with make_worker(argparse.Namespace(sandbox="process"), chapter) as worker:  # the engine, in this process
        expected = grade(Submission(CHAPTER, files), chapter, worker, get_profile("grading"))
    failed = sorted(f"{e.id} · {c.name}" for e in expected.exercises for c in e.checks if not c.passed)
    assert failed and _failed_tests(results) == failed
    assert all(name.startswith(f"{variant.exercise_id} · ") for name in failed)
    lost = sum(t["max_score"] for t in results["tests"] if t["name"] in failed)
    assert results["score"] == expected.score == chapter.max_points - lost


def test_the_module_files_alone_are_graded_with_the_provided_files_restored(tmp_path, bundle, chapter, solution,
                                                                             release):
    files = {Path(rel).name: text for rel, text in solution.items() if rel not in release.provided}
    results, stdout = _run_autograder(_layout(tmp_path / "autograder", bundle, files))
    assert results["score"] == chapter.max_points, stdout
    assert "ch06/_validation.py" in stdout  # among the files graded


def test_a_hanging_module_costs_its_exercise_and_nothing_else(tmp_path, bundle, chapter, solution):
    hanging = {**solution, "ch06/optim.py": solution["ch06/optim.py"] + "\nwhile True:\n    pass\n"}
    results, _ = _run_autograder(_layout(tmp_path / "autograder", bundle, hanging))
    optimizers = chapter.exercises["ch06.optimizers"]
    assert results["score"] == chapter.max_points - optimizers.max_points
    assert all(t["score"] == 0 for t in results["tests"] if t["name"].startswith("ch06.optimizers · "))
    line = next(li for li in results["output"].splitlines() if li.startswith("ch06.optimizers:"))
    assert "could not import ch06/optim.py" in line and re.search(r"\d+(\.\d+)? ?s\b", line), line


def test_hostile_file_names_are_notes_of_one_line_and_cost_only_what_they_replace(tmp_path, bundle, chapter,
                                                                                   solution):
    files: dict[str, str | bytes] = {rel: text for rel, text in solution.items() if rel != "ch06/convmat.py"}
    files.update({"ch06/new\nline.py": "x = 1\n", "ch06/\x1b[31mred.py": "x = 1\n", "ch06/spaces  .py": "x = 1\n"})
    paths = _layout(tmp_path / "autograder", bundle, files)
    os.symlink("/etc/passwd", paths.submission / "ch06" / "convmat.py")
    os.mkfifo(paths.submission / "ch06" / "pipe.py")
    with open(os.fsencode(paths.submission / "ch06") + b"/caf\xe9.py", "wb") as handle:
        handle.write(b"x = 1\n")
    results, stdout = _run_autograder(paths)
    convmat = chapter.exercises["ch06.conv_as_matrix"]
    assert results["score"] == chapter.max_points - convmat.max_points, stdout
    output = results["output"]
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]|[\ud800-\udfff]", output), output
    notes = [line for line in output.splitlines() if line.startswith("note: ")]
    assert any("convmat.py" in n and "link" in n for n in notes), notes
    assert any("pipe.py" in n for n in notes), notes
    assert "ch06/convmat.py is missing from the submission" in output


def test_an_empty_submission_still_gets_a_results_json(tmp_path, bundle, chapter):
    results, _ = _run_autograder(_layout(tmp_path / "autograder", bundle, {}))
    assert results["score"] == 0 and results["extra_data"]["geodl"]["status"] == "empty"
    assert results["output"].count("no ch06/ folder, module files or notebook found in the submission") == 1
    assert {t["max_score"] for t in results["tests"]} != {0}


def test_a_notebook_is_graded_with_only_what_setup_sh_installs(tmp_path, bundle, chapter, solution):
    """Grading as run_autograder runs it, in an interpreter that sees the bundle's requirements and
    what they require, nothing else of this checkout's venv (no site: their files linked into one
    folder on PYTHONPATH), and no bubblewrap (the process backend, as on most of Gradescope)."""
    import nbformat

    from graders.sandbox.environment import _top_level_entries

    site = tmp_path / "site"
    site.mkdir()
    for name in sorted(_installed_closure(bundle.requirements)):
        for entry in _top_level_entries(metadata.distribution(name)):
            if not (site / entry.name).exists():
                (site / entry.name).symlink_to(entry)
    cells = [nbformat.v4.new_code_cell(f"%%writefile {rel}\n{text}") for rel, text in solution.items()]
    notebook = nbformat.writes(nbformat.v4.new_notebook(cells=cells))
    paths = _layout(tmp_path / "autograder", bundle, {"ch06.ipynb": notebook})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(GEODL_AUTOGRADER_ROOT=str(paths.root), PYTHONPATH=f"{paths.source}{os.pathsep}{site}",
               PATH=str(tmp_path / "no-bwrap"))
    done = subprocess.run([sys.executable, "-S", "-P", "-m", "graders.cli.gradescope"], env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(paths.results.read_text())
    assert results["score"] == chapter.max_points, done.stdout
    assert results["extra_data"]["geodl"]["sandbox"] == "process"
    assert "submission: 5 files (notebook): ch06/_validation.py, ch06/convmat.py" in done.stdout


def test_a_grader_that_cannot_start_still_leaves_a_zero_score(tmp_path, bundle):
    paths = _layout(tmp_path / "autograder", bundle, {})
    results, stdout = _run_autograder(paths, python=str(tmp_path / "no-such-python"))
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"] == ("The autograder could not run (internal grader error, not your fault). "
                                 "Please tell your instructor.")
    assert "without writing" in stdout


def test_the_self_test_loads_the_chapter_and_starts_a_worker(tmp_path, bundle, chapter):
    paths = _layout(tmp_path / "autograder", bundle, {})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(GEODL_AUTOGRADER_ROOT=str(paths.root), PYTHONPATH=str(paths.source))
    done = subprocess.run([sys.executable, "-P", "-s", "-m", "graders.cli.gradescope", "--self-test"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"ch06 loads \({len(chapter.exercises)} exercises, {chapter.max_points:g} points\); "
                     r"sandbox here: \w+", done.stdout)
    assert "worker started" in done.stdout


# --------------------------------------------------------------------------- in process
def test_a_zip_of_a_folder_is_graded_one_level_down(tmp_path, chapter, solution, release):
    (tmp_path / "__MACOSX").mkdir()  # what macOS adds to a zip: never the submission
    for rel, text in solution.items():
        (tmp_path / "hw6" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "hw6" / rel).write_text(text)
    submission = find_submission(tmp_path, chapter, release)
    assert sorted(submission.files) == sorted(solution)
    assert submission.notes == ("graded the folder hw6/ of the submission",)
    flat = tmp_path / "flat"  # the module files themselves, one folder down, without the provided file
    for rel, text in solution.items():
        if rel not in release.provided:
            (flat / "inner" / Path(rel).name).parent.mkdir(parents=True, exist_ok=True)
            (flat / "inner" / Path(rel).name).write_text(text)
    submission = find_submission(flat, chapter, release)
    assert sorted(submission.files) == sorted(solution)
    assert {rel: submission.sources[rel] for rel in release.provided} == {"ch06/_validation.py": "release"}
    empty = tmp_path / "empty"  # the provided files alone are no submission
    (empty / "inner").mkdir(parents=True)
    assert find_submission(empty, chapter, release).notes[-1] == (
        "no ch06/ folder, module files or notebook found in the submission")


def test_a_missing_submission_folder_gets_a_one_line_reason(tmp_path, bundle):
    paths = AutograderPaths(tmp_path)
    _unzipped(bundle.path, paths.source)
    results = command.autograde(paths)
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"].startswith("Your submission could not be read: submission path ")
    assert "\n" not in results["output"] and results["extra_data"]["geodl"]["reference"] == "submission-missing"


def test_an_internal_error_is_not_the_students_and_shows_no_traceback(tmp_path, capsys):
    paths = AutograderPaths(tmp_path)  # no source/geodl-gradescope.json
    (tmp_path / "submission").mkdir()
    results = command.autograde(paths)
    assert results["score"] == 0 and "\n" not in results["output"]
    assert results["output"] == ("The autograder could not grade this submission (internal grader error "
                                 "[bad-bundle-config], not your fault). Please tell your instructor.")
    assert "Traceback" in capsys.readouterr().out  # for the staff, on Gradescope's hidden stdout


def test_bwrap_is_required_only_where_the_bundle_asks_for_it(monkeypatch):
    from graders.errors import SandboxUnavailable

    class NoNamespaces:
        def unavailable_reason(self):
            return "no user namespaces"

    monkeypatch.setattr(gradescope, "get_sandbox", lambda name: NoNamespaces())
    assert choose_sandbox("auto") == ("process", "bwrap cannot run here: no user namespaces")
    assert choose_sandbox("process")[0] == "process"
    with pytest.raises(SandboxUnavailable, match="the bwrap sandbox cannot run here: no user namespaces"):
        choose_sandbox("bwrap")


@pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope's grader runs as root; this needs root")
def test_without_bwrap_as_root_student_code_runs_as_nobody_and_the_answers_are_roots(tmp_path, monkeypatch):
    """The process fallback would run student code as root, able to read the bundle's references
    and rewrite results.json: it runs as nobody, and those files become root's alone."""
    python = shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}", path="/usr/bin:/usr/local/bin")
    if python is None:
        pytest.skip("no system interpreter that nobody can run")
    paths = gradescope.AutograderPaths(tmp_path / "autograder")
    for folder in (paths.source / "geodl_ref", paths.source / "graders" / "chapters", paths.submission,
                   paths.results.parent):
        folder.mkdir(parents=True)
    monkeypatch.delenv("GEODL_PROCESS_USER", raising=False)
    monkeypatch.delenv("GEODL_PROCESS_PYTHON", raising=False)
    monkeypatch.setattr(os, "environ", dict(os.environ))  # what the step exports stays in this test
    note = gradescope.keep_answers_from_student_code(paths, python=python)
    assert note == "student code runs as nobody; the references, the submission and the results are root's"
    assert os.environ["GEODL_PROCESS_USER"] == "nobody" and os.environ["GEODL_PROCESS_PYTHON"] == python
    for private in (paths.source / "geodl_ref", paths.source / "graders" / "chapters", paths.submission,
                    paths.results.parent):
        assert stat.S_IMODE(private.stat().st_mode) == 0o700, private
    assert stat.S_IMODE(paths.source.stat().st_mode) == 0o711
    unreachable = gradescope.keep_answers_from_student_code(paths, python="/root/no-such-python")
    assert unreachable == "nobody cannot run /root/no-such-python: student code runs as root"
