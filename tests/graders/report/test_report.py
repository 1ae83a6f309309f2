"""graders/report/html.py and ``geodl report``: escaping, visibility, plots, file names, the CLI."""
from __future__ import annotations

import base64
import datetime as dt
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from graders.batch.store import ResultStore
from graders.cli import main
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult
from graders.report.html import failed_checks, render_feedback, render_summary, write_reports

HOSTILE = '<script>alert(1)</script> "quoted" & more'
DEADLINE = dt.datetime(2026, 5, 1, 23, 59, tzinfo=dt.timezone.utc)
SECRETS = ("SECRET-MSG", "SECRET-CALL", "SECRET-OUT", "SECRET-DESC")


def check(name, points, max_points=1.0, *, status=None, visibility="public", message="", counterexample="",
          output="", description="", seed=None) -> CheckResult:
    status = status or ("passed" if points >= max_points else "failed")
    return CheckResult(name=name, passed=status == "passed", points=points, max_points=max_points, status=status,
                       message=message, counterexample=counterexample, visibility=visibility,
                       description=description, seed=seed, output=output)


def secret_check(name, visibility) -> CheckResult:
    return check(name, 0.0, 3.0, visibility=visibility, message="SECRET-MSG", counterexample="SECRET-CALL",
                 output="SECRET-OUT", description="SECRET-DESC")


def result(*exercises: tuple[str, list[CheckResult]], assignment="ch99", message="", notes=(), path="/x",
           duration_s=1.0, exercise_message="", sha="abc") -> SubmissionResult:
    rows = []
    for exercise_id, checks in exercises:
        score, top = sum(c.points for c in checks), sum(c.max_points for c in checks)
        status = "passed" if score == top else ("failed" if score == 0 else "partial")
        rows.append(ExerciseResult(exercise_id, score, top, status, tuple(checks), exercise_message))
    return SubmissionResult(assignment=assignment, score=sum(e.score for e in rows),
                            max_score=sum(e.max_score for e in rows),
                            status="graded", exercises=tuple(rows), message=message, duration_s=duration_s,
                            submission={"path": path, "sha256": sha, "notes": list(notes)},
                            grader={"version": "0.1.0"}, settings={"seed": 0})


class Tags(HTMLParser):
    """The start tags of a page, to prove that text did not become markup."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


# --- feedback ------------------------------------------------------------------------------------------

def test_feedback_escapes_everything_from_the_submission():
    hostile = check("forward", 0.0, message=HOSTILE, counterexample=f"Failing test case: f({HOSTILE!r})",
                    output=HOSTILE)
    page = render_feedback(HOSTILE, result(("ch99.alpha", [hostile]), message=HOSTILE, notes=[HOSTILE], path=HOSTILE,
                                           exercise_message=HOSTILE))
    assert "<script>" not in page and "alert(1)</script>" not in page
    assert "script" not in Tags(page).tags
    # title, name, message, call, output, notes, path...
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 7
    assert '"quoted"' not in page and "&#34;quoted&#34;" in page
    assert " & more" not in page and " &amp; more" in page


def test_hidden_check_shows_outcome_and_points_only():
    page = render_feedback("ann", result(("ch99.alpha", [secret_check("torch_agrees", "hidden"),
                                                         check("also_hidden", 2.0, 2.0, visibility="hidden")])))
    for secret in SECRETS:
        assert secret not in page
    row = next(row for row in re.findall(r"<tr.*?</tr>", page, re.S) if "torch_agrees" in row)
    assert "0 / 3" in row and 'class="mark-icon fail"' in row and '<span class="sr">failed</span>' in row
    assert re.search(r"also_hidden.*?2 / 2", page, re.S)


@pytest.mark.parametrize("now, shown", [(None, False), (DEADLINE - dt.timedelta(seconds=1), False), (DEADLINE, True),
                                        (DEADLINE + dt.timedelta(days=3), True)])
def test_after_deadline_check_opens_at_the_deadline(now, shown):
    page = render_feedback("ann", result(("ch99.alpha", [secret_check("late", "after_deadline")])),
                           now=now, deadline=DEADLINE if now else None)
    assert all((secret in page) == shown for secret in SECRETS)
    assert re.search(r"late.*?0 / 3", page, re.S)
    assert ("details are shown once the deadline has passed" in page) == (not shown)


def test_naive_and_aware_times_compare():
    naive_deadline = dt.datetime(2000, 1, 1)
    page = render_feedback("ann", result(("ch99.alpha", [secret_check("late", "after_deadline")])),
                           now=dt.datetime.now(dt.timezone.utc), deadline=naive_deadline)
    assert "SECRET-MSG" in page


def test_public_check_shows_message_pasteable_counterexample_seed_and_output():
    failing = check("softmax_rows", 0.0, 2.0, message="expected 1.0, got 2.0", seed=1234,
                    counterexample="Failing test case: softmax(array([1., 2.]), axis=0)", output="debug: x=3\n")
    page = render_feedback("ann", result(("ch99.alpha", [failing])))
    assert '<pre class="call"><code>softmax(array([1., 2.]), axis=0)</code></pre>' in page
    assert "expected 1.0, got 2.0" in page and "seed 1234" in page and "debug: x=3" in page
    assert re.search(r"softmax_rows.*?0 / 2", page, re.S)


def test_printed_output_is_cut_to_its_tail():
    noisy = check("noisy", 1.0, output="\n".join(f"line {i:03d}" for i in range(200)))
    page = render_feedback("ann", result(("ch99.alpha", [noisy])))
    assert "line 199" in page and "line 000" not in page and "[earlier output not shown]" in page


def test_feedback_lists_totals_exercise_table_notes_and_titles():
    chapter = SimpleNamespace(title="Neural networks", exercises={"ch99.alpha": SimpleNamespace(title="The alpha one")})
    res = result(("ch99.alpha", [check("a", 1.0), check("b", 0.0, status="timeout", message="too slow")]),
                 message="worker restarted", notes=["notebook converted"], exercise_message="import fine")
    page = render_feedback("ann", res, chapter=chapter)
    assert "Total: <strong>1 / 2</strong>" in page
    assert "ch99: Neural networks" in page and "The alpha one" in page
    assert "<li>worker restarted</li>" in page and "<li>notebook converted</li>" in page
    assert 'class="mark-icon clock"' in page and "timeout" in page and "import fine" in page


# --- summary -------------------------------------------------------------------------------------------

def class_rows():
    full = result(("ch99.alpha", [check("a", 1.0), check("b", 2.0, 2.0)]), ("ch99.beta", [check("c", 1.0)]),
                  duration_s=2.0)
    half = result(("ch99.alpha", [check("a", 1.0), check("b", 0.0, 2.0)]), ("ch99.beta", [check("c", 0.0)]),
                  duration_s=5.0)
    zero = result(("ch99.alpha", [check("a", 0.0, status="crashed"), check("b", 0.0, 2.0, visibility="hidden")]),
                  ("ch99.beta", [check("c", 0.0, status="skipped")]), duration_s=9.0)
    return [("ann", full), ("bob", half), (HOSTILE, zero)]


def _stat(page: str, label: str) -> str:
    return re.search(rf"<th>{label}</th><td class=\"num\">([^<]*)</td>", page).group(1)


@pytest.fixture(scope="module")
def summary_page() -> str:
    return render_summary("ch99", class_rows())


def test_summary_has_counts_three_plots_and_links(summary_page):
    page = summary_page
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 3
    assert all(base64.b64decode(image).startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    assert (_stat(page, "students"), _stat(page, "mean"), _stat(page, "median")) == ("3", "1.67", "1")
    assert (_stat(page, "full marks"), _stat(page, "zero")) == ("1", "1")
    assert 'href="feedback/ann.html"' in page and 'href="feedback/bob.html"' in page
    hostile_link = re.search(r'<a href="([^"]*)">&lt;script&gt;', page).group(1)
    assert re.fullmatch(r"feedback/[A-Za-z0-9_.-]+\.html", hostile_link) and ".." not in hostile_link
    assert "<script>" not in page and "script" not in Tags(page).tags


def test_failed_checks_counts_students_per_check_not_passed_or_skipped():
    # bob fails alpha.b and beta.c; the third student's alpha.a crashed, hidden alpha.b failed, beta.c was skipped
    assert failed_checks(class_rows()) == [("alpha · a", 1), ("alpha · b", 1), ("alpha · b (hidden)", 1),
                                           ("beta · c", 1)]
    rows = class_rows() + [("cy", result(("ch99.alpha", [check("a", 0.0), check("b", 0.0, 2.0)]),
                                         ("ch99.beta", [check("c", 1.0)])))]
    assert failed_checks(rows)[:2] == [("alpha · a", 2), ("alpha · b", 2)]


def test_summary_is_deterministic_and_dated_only_when_asked(summary_page):
    again = render_summary("ch99", class_rows(), generated_at="2026-05-02 10:00")
    assert "Generated" not in summary_page and "Generated 2026-05-02 10:00." in again
    assert again.replace(" Generated 2026-05-02 10:00.", "") == summary_page


def test_summary_of_an_empty_class_still_renders():
    page = render_summary("ch99", [])
    assert page.count('<img src="data:image/png;base64,') == 3 and _stat(page, "students") == "0"


def test_summary_refuses_rows_of_another_assignment():
    with pytest.raises(ValueError, match="ch98"):
        render_summary("ch99", [("ann", result(("ch98.alpha", [check("a", 1.0)]), assignment="ch98"))])


def test_write_reports_sanitizes_file_names_and_links_resolve(tmp_path):
    names = ["../evil", "a/b", "a_b", "x\x00y", ".hidden", "..", "Ann", "ann"]
    rows = [(n, result(("ch99.alpha", [check("a", 1.0)]))) for n in names]
    pages, summary = write_reports(tmp_path / "out", "ch99", rows)
    feedback = (tmp_path / "out" / "feedback").resolve()
    assert len({p.name.casefold() for p in pages}) == len(names)
    assert all(p.resolve().parent == feedback and p.is_file() for p in pages)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    links = re.findall(r'<a href="(feedback/[^"]+)">', summary.read_text())
    assert sorted(links) == sorted(f"feedback/{p.name}" for p in pages)


# --- geodl report --------------------------------------------------------------------------------------

def make_store(tmp_path, *assignments: str) -> str:
    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    for assignment in assignments:
        store.save(result((f"{assignment}.alpha", [check("a", 1.0), secret_check("late", "after_deadline")]),
                          assignment=assignment, sha="s1"), student="ann")
        store.save(result((f"{assignment}.alpha", [check("a", 0.0), secret_check("late", "after_deadline")]),
                          assignment=assignment, sha="s2"), student="../bob")
    store.close()
    return url


@pytest.mark.parametrize("deadline, shown", [("2000-01-01T00:00+00:00", True), ("2999-01-01T00:00", False)])
def test_cli_report_writes_feedback_and_summary(tmp_path, capsys, deadline, shown):
    url = make_store(tmp_path, "ch99")
    out = tmp_path / "report"
    args = ["report", "--db", url, "--out", str(out)] + (["--deadline", deadline] if deadline else [])
    assert main(args) == 0
    pages = sorted(p.name for p in (out / "feedback").iterdir())
    assert len(pages) == 2 and "ann.html" in pages and all("/" not in p and not p.startswith(".") for p in pages)
    assert ("SECRET-MSG" in (out / "feedback" / "ann.html").read_text()) == shown
    assert (out / "summary.html").read_text().count("data:image/png;base64,") == 3
    printed = capsys.readouterr().out
    assert str(out / "summary.html") in printed and "2 students of ch99" in printed


def test_cli_report_asks_for_the_assignment_when_the_store_has_several(tmp_path, capsys):
    url = make_store(tmp_path, "ch98", "ch99")
    assert main(["report", "--db", url, "--out", str(tmp_path / "r")]) == 2
    assert "--assignment" in capsys.readouterr().err and not (tmp_path / "r").exists()
    assert main(["report", "--db", url, "--out", str(tmp_path / "r"), "--assignment", "ch98"]) == 0
    assert "ch98" in (tmp_path / "r" / "summary.html").read_text()


def test_cli_report_refuses_a_bad_deadline(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["report", "--db", make_store(tmp_path, "ch99"), "--out", str(tmp_path / "r"), "--deadline", "friday"])
    assert "ISO-8601" in capsys.readouterr().err


# --- control characters, bidi overrides, surrogates ------------------------------------------------------

def test_feedback_shows_control_characters_escaped_and_writes_as_utf8():
    from tests.graders.report._hostile import HOSTILE_NAME, SHOWN, SURROGATE, assert_terminal_safe, hostile_result
    page = render_feedback(HOSTILE_NAME, hostile_result())
    assert_terminal_safe(page)                      # no raw ESC, C0/C1, bidi, zero-width or surrogate
    page.encode("utf-8")
    for shown in SHOWN + [SURROGATE[1]]:            # message, call, output, name, notes, path
        assert page.count(shown.replace("&", "&amp;")) >= 6, shown
    assert "javascript" not in " ".join(f"{k}={v}" for k, v in _attributes(page))
    assert "\n" in page.split('<pre class="out">', 1)[1].split("</pre>", 1)[0]  # newlines of the output kept


def test_summary_and_plots_take_hostile_names_and_check_names():
    from tests.graders.report._hostile import HOSTILE, HOSTILE_NAME, assert_terminal_safe, hostile_result
    odd = result(("ch06.mlp_backprop", [check(f"check {HOSTILE}", 0.0)]), assignment="ch06")
    page = render_summary("ch06", [(HOSTILE_NAME, hostile_result()), ("ann", odd)])
    assert_terminal_safe(page)
    assert page.count("data:image/png;base64,") == 3 and "\\x1b[2J" in page
    link = re.search(r'<a href="([^"]*)">\\x1b\[2J', page).group(1)
    assert re.fullmatch(r"feedback/[A-Za-z0-9_.-]+\.html", link)


def test_write_reports_takes_a_non_utf8_folder_name(tmp_path):
    from tests.graders.report._hostile import HOSTILE_NAME, SURROGATE, hostile_result
    rows = [(SURROGATE[0], hostile_result()), (HOSTILE_NAME, hostile_result())]
    pages, summary = write_reports(tmp_path, "ch06", rows)
    assert all(p.is_file() for p in pages)
    assert SURROGATE[1] in pages[0].read_text(encoding="utf-8") and SURROGATE[1] in summary.read_text(encoding="utf-8")


def test_cli_report_on_a_hostile_class_prints_nothing_raw(tmp_path, capsys):
    from tests.graders.report._hostile import HOSTILE, assert_terminal_safe, hostile_result
    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    store.save(hostile_result(HOSTILE), student=HOSTILE)
    store.save(hostile_result("[/bold]"), student="=cmd|' /C calc'!A0")
    store.close()
    assert main(["report", "--db", url, "--out", str(tmp_path / "r")]) == 0
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out + captured.err)
    assert "2 students of ch06" in captured.out
    for page in [*(tmp_path / "r" / "feedback").iterdir(), tmp_path / "r" / "summary.html"]:
        assert_terminal_safe(page.read_text(encoding="utf-8"))


def _attributes(page: str) -> list[tuple[str, str]]:
    class Attributes(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: list[tuple[str, str]] = []

        def handle_starttag(self, tag, attrs):
            self.found += [(k, v or "") for k, v in attrs]

    parser = Attributes()
    parser.feed(page)
    return parser.found


# --- each kind of exercise, said once; status words; marks; numbers ----------------------------------------

def _rows_of(page: str, text: str) -> list[str]:
    return [row for row in re.findall(r"<tr.*?</tr>", page, re.S) if text in row]


def test_an_exercise_one_reason_zeroed_is_one_row_without_its_checks():
    from tests.graders.report._kinds import IMPORT_ERROR, every_kind
    page = render_feedback("ann", every_kind())
    stub_line = "still the released stub: fill in analyze, frame_bounds"
    for line in (stub_line, IMPORT_ERROR, "ch01/derivations.py is missing from the submission"):
        assert page.count(line) == 1, line                       # the exercise's row says it, nothing repeats it
    for check_name in ("perfect_reconstruction", "fenchel_young", "conjugate_of_exp"):
        assert check_name not in page                            # its checks collapse: no row each
    assert "NotImplementedError" not in page and "not graded: ch01/" not in page
    assert 'id="ch01.frames"' not in page and 'id="ch01.matrix_calculus"' in page   # no section for it
    assert page.count("Failing test case") == 2                 # the failing check's and the timed-out one's
    row = _rows_of(page, "ch01.frames")[0]
    assert "unchanged stub" in row and "0 / 6" in row and "(3 checks, none passed)" in row


def test_an_empty_submission_says_its_note_once_and_is_labelled_empty():
    from tests.graders.report._kinds import EMPTY_NOTE, class_rows
    page = render_feedback("cy", dict(class_rows())["cy"])
    assert page.count(EMPTY_NOTE) == 1
    assert '<span class="status flag">empty</span>' in page and ">graded<" not in page


def test_marks_are_drawn_in_svg_with_a_text_label_not_emoji():
    from tests.graders.report._kinds import every_kind
    page = render_feedback("ann", every_kind())
    assert not re.search("[\u2300-\u23ff\u2600-\u26ff\U0001f000-\U0001faff]", page)  # no clock, skull, emoji
    marks = re.findall(r'<td class="mark" title="([^"]*)"><span class="mark-icon (\w+)"><svg class="icon"[^>]*'
                       r'aria-hidden="true".*?</svg><span class="sr">([^<]*)</span>', page, re.S)
    assert ("timeout", "clock", "timeout") in marks and ("passed", "pass", "passed") in marks
    assert ("failed", "fail", "failed") in marks and len(marks) == 7   # the checks of the 3 exercises shown


def test_numbers_on_the_page_are_rounded_for_people():
    third = check("a", 1 / 3, 1 / 3)
    page = render_feedback("ann", result(("ch99.alpha", [third, check("b", 12.000000001, 12.000000001)])))
    assert "Total: <strong>12.33 / 12.33</strong>" in page and "0.33 / 0.33" in page and "000000" not in page


def test_summary_counts_each_status_word_and_names_the_students_to_look_at():
    from tests.graders.report._kinds import class_rows
    page = render_summary("ch01", class_rows())
    counts = {word: _stat(page, word) for word in ("graded", "empty", "unchanged stub", "error", "timed out")}
    assert counts == {"graded": "2", "empty": "1", "unchanged stub": "1", "error": "1", "timed out": "1"}
    flagged = page.split("<h2>Submissions to look at</h2>", 1)[1].split("</ul>", 1)[0]
    for word, student in (("empty", "cy"), ("unchanged stub", "dee"), ("error", "eve"), ("timed out", "fay")):
        assert re.search(rf'{word}</span> 1: <a href="feedback/{student}.html">{student}</a>', flagged), word
    assert "ann" not in flagged and "bob" not in flagged
    students = page.split("<h2>Students</h2>", 1)[1]
    assert '<span class="status flag">unchanged stub</span>' in _rows_of(students, ">dee<")[0]
    assert ">graded</span>" in _rows_of(students, ">ann<")[0]


def test_terminal_report_says_a_stub_once_and_marks_a_timeout_without_emoji():
    import io

    from rich.console import Console

    from graders.report.terminal import class_table, print_result
    from tests.graders.report._kinds import IMPORT_ERROR, class_rows, every_kind
    console = Console(file=io.StringIO(), width=300)
    print_result(every_kind(), console=console)
    out = console.file.getvalue()
    assert out.count("still the released stub: fill in analyze, frame_bounds") == 1
    assert out.count(IMPORT_ERROR.split(":")[0]) == 1
    assert "perfect_reconstruction" not in out and "fenchel_young" not in out and "NotImplementedError" not in out
    assert "◷" in out and "⏱" not in out and "4.97 s time limit" in out
    console = Console(file=io.StringIO(), width=240)
    print_result(dict(class_rows())["dee"], console=console)
    assert "ch01: 0 / 19 (unchanged stub)" in console.file.getvalue()
    console = Console(file=io.StringIO(), width=240)
    console.print(class_table(class_rows()))
    table = console.file.getvalue()
    assert "empty (1): cy; unchanged stub (1): dee; error (1): eve; timed out (1): fay" in table
    assert re.search(r"fay\s+│\s+timed out", table)


def test_the_class_table_never_cuts_a_student_name_at_80_columns():
    import io

    from rich.console import Console

    from graders.report.terminal import class_table
    from tests.graders.report._kinds import class_rows
    rows = [(f"student{i:03d}", result) for i, (_, result) in enumerate(class_rows())]
    console = Console(file=io.StringIO(), width=80)
    console.print(class_table(rows))
    table = console.file.getvalue()
    assert all(f"student{i:03d}" in table for i in range(len(rows))), table
