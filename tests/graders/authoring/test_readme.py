"""graders/authoring/readme.py: the README of a released chapter says how to install, check, submit
and score, from the chapter's spec, and gives away nothing of a hidden check but its count and points."""
from __future__ import annotations

import re

import pytest

from graders.authoring.readme import chapter_readme
from graders.chapters import available_chapters, load_chapter


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_readme_names_no_hidden_check(chapter_id):
    text = chapter_readme(chapter_id)
    chapter = load_chapter(chapter_id)
    public = {check.name for e in chapter.exercises.values() for check in e.checks if check.visibility == "public"}
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            if check.visibility == "public":
                assert f"`{check.name}` ({check.points:g} point" in text
                continue
            if check.name not in public:  # a public check of another exercise may share the name
                assert not re.search(rf"\b{re.escape(check.name)}\b", text), check.name
            if check.description:
                assert check.description not in text, check.name


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_readme_says_how_to_install_check_submit_and_score(chapter_id):
    text = chapter_readme(chapter_id)
    chapter = load_chapter(chapter_id)
    assert f"\npython3 -m venv .venv && .venv/bin/pip install -r {chapter_id}/requirements.txt\n" in text
    assert f"\n.venv/bin/pytest {chapter_id}\n" in text and f"open `{chapter_id}/{chapter_id}.ipynb`" in text
    assert "_validation.py" in text and f"nbgrader submit {chapter_id}" in text
    assert "the module\nfile is graded" in text  # the rule of graders.grading.submission, where both forms differ
    for exercise in chapter.exercises.values():
        hidden = [c for c in exercise.checks if c.visibility != "public"]
        assert re.search(rf"\| `{exercise.id}`: .* \| `{exercise.module_file}` \| .* \| {exercise.max_points:g} \|",
                         text), exercise.id
        if hidden:
            assert f"{len(hidden)} hidden check" in text
        for name in exercise.forbidden:
            assert f"`{name}`" in text
    assert f"**{chapter.max_points:g}**" in text


def test_the_readme_of_ch06_reads_as_pinned():
    text = chapter_readme("ch06")
    assert "* In every exercise of ch06: `torch`." in text
    assert "standard library and numpy, scipy, sympy, msgpack;" in text  # torch is not in ch06's sandbox
    assert ("| `ch06.mlp_backprop`: MLP forward pass and backpropagation | `ch06/mlp.py` | `mlp_forward`, "
            "`mlp_backward`, `sigma`, `sigma_prime` | 12 | 7 (9 points) | 2 (3 points) |") in text
    assert "**`ch06.optimizers`** (9 points; and 3 hidden checks for 3 points):" in text
    assert "gradients_match_torch_autograd" not in text


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_readme_states_the_sandbox_rules_of_the_chapter(chapter_id):
    from graders.grading.settings import get_profile

    text = chapter_readme(chapter_id)
    chapter = load_chapter(chapter_id)
    rules = text[text.index("When graded, your code runs in a sandbox"):text.index("## What to submit")]
    assert f"standard library and {', '.join(chapter.sandbox_packages)};" in rules
    assert f"each call into your code has {get_profile('grading').call_timeout_s:g} s" in rules
    assert ("torch" in rules) == ("torch" in chapter.sandbox_packages)


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_what_an_exercise_forbids_beyond_its_chapter_is_listed_apart(chapter_id):
    text = chapter_readme(chapter_id)
    chapter = load_chapter(chapter_id)
    shared = ", ".join(f"`{name}`" for name in chapter.forbidden)
    assert bool(chapter.forbidden) == (f"* In every exercise of {chapter_id}: {shared}.\n" in text)
    for exercise in chapter.exercises.values():
        own = [f"`{name}`" for name in exercise.forbidden if name not in chapter.forbidden]
        line = f"* In `{exercise.id}`{' also' if shared else ''}: {', '.join(own)}.\n"
        assert bool(own) == (line in text), exercise.id
