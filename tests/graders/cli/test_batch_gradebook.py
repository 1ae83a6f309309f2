"""graders/cli/batch.py: where a class's gradebook is (an nbgrader course's own; else beside the
results store), and a batch that would write a class into another class's gradebook stops with
one line and a hint, unless told to merge."""
from __future__ import annotations

import argparse
from pathlib import Path

from graders.authoring.samples import write_class
from graders.batch.autograded import read_course
from graders.batch.gradebook import GradebookWriter
from graders.chapters import load_chapter
from graders.cli import main
from graders.cli.batch import add_arguments, gradebook_place, validate
from tests.graders._results import make_result


def _plan(*argv: str):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return validate(parser.parse_args([*argv, "--sandbox", "process"]))


def test_an_nbgrader_courses_gradebook_is_its_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    course = tmp_path / "course"
    write_class(course, "ch06", 2, seed=1, hostile=False)
    assert _plan(str(course), "-a", "ch06").gradebook_url == f"sqlite:///{course / 'gradebook.db'}"
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.db_url = "sqlite:///gb.db"\n')
    plan = _plan(str(course / "submitted"), "-a", "ch06", "--db", str(tmp_path / "results.db"))
    assert plan.gradebook_url == f"sqlite:///{course / 'gb.db'}" and plan.course == read_course(course)
    assert _plan(str(course), "-a", "ch06", "--gradebook", "mine.db").gradebook_url == \
        f"sqlite:///{tmp_path / 'mine.db'}"  # --gradebook wins
    assert not list(tmp_path.glob("*.db")) and not (tmp_path / "geodl-out").exists()  # nothing written


def test_a_plain_folders_gradebook_is_beside_its_results_store(tmp_path, monkeypatch):
    """Two classes graded from one folder, each with its own --db, get a gradebook each (the
    issue: both once went to ./geodl-out/gradebook.db)."""
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        write_class(tmp_path / f"class-{name}", "ch06", 2, seed=3, hostile=False)
        (tmp_path / name).mkdir()
    for name in ("a", "b"):
        classes = tmp_path / f"class-{name}" / "submitted"
        plan = _plan(str(classes / "student001"), "-a", "ch06", "--db", f"{name}/results.db")
        assert plan.gradebook_url == f"sqlite:///{tmp_path / name / 'gradebook.db'}" and plan.course is None
    assert gradebook_place(None, None, "postgresql+psycopg://u@h/geodl") == "postgresql+psycopg://u@h/geodl"


def _foreign_gradebook(tmp_path: Path) -> Path:
    """A course whose gradebook holds ch06 submissions of students who are not in the class now
    in its submitted/ (another class was graded into it)."""
    course = tmp_path / "course"
    write_class(course, "ch06", 2, seed=4, hostile=False)
    with GradebookWriter(f"sqlite:///{course / 'gradebook.db'}", load_chapter("ch06")) as writer:
        for student in ("student001", "intruder1", "intruder2"):
            writer.record(student, make_result())
    return course


def test_a_batch_into_another_classs_gradebook_stops_with_one_line_and_a_hint(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    course = _foreign_gradebook(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = main(["batch", str(course), "-a", "ch06", "--sandbox", "process"])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert code == 2 and out == "" and "Traceback" not in err, err
    assert len(lines) == 2 and lines[0].startswith("geodl batch: error [gradebook-of-another-class]: "), err
    assert "holds ch06 submissions of 2 students who are not in this class ('intruder1', 'intruder2')" in lines[0]
    assert "Hint: " in lines[0] and "--merge-gradebook" in lines[0]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "the refusal left a file behind"


def test_merge_gradebook_lets_the_batch_write_into_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    course = _foreign_gradebook(tmp_path)
    plan = _plan(str(course), "-a", "ch06", "--merge-gradebook")
    assert plan.gradebook_url == f"sqlite:///{course / 'gradebook.db'}"
    assert main(["batch", str(course), "-a", "ch06", "--merge-gradebook", "--no-gradebook"]) == 2
    assert "[contradictory-options]: --no-gradebook and --merge-gradebook" in capsys.readouterr().err
