"""Every behaviour an exercise's reference docstrings promise has a check that exercises it.

A promise, read from the numpy-style docstring of each function an exercise asks for:

* an exception in its ``Raises`` section that the student's part raises (``raise ValueError``
  inside the function's solution region; what the released stub keeps, its input validation, is
  the same for every student and is not graded): some check of the exercise names the function
  and the exception;
* an alternative form of a parameter (``f : ndarray of shape (n,) or (n, N)``): some check names
  the function and the alternative (its shape, or the word "batch" or "column");
* NaN in its docstring (``NaN maps to +inf``): some check names the function and feeds or
  expects a NaN.

The test lists the promises no check exercises; ``UNCHECKED`` holds those that are known and
scheduled (it must only shrink: an entry that is now checked fails the test too, so that it is
taken out).
"""
from __future__ import annotations

import inspect
import re

from graders.chapters import available_chapters, load_chapter
from graders.grading.spec import Exercise

#: Promises known to have no check yet (exercise, function, promise); it may only shrink.
UNCHECKED: set[tuple[str, str, str]] = set()

_SECTION = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}[ \t]*$", re.M)


def sections(doc: str | None) -> dict[str, str]:
    """The sections of a numpy-style docstring by title (``Raises``, ``Parameters``...)."""
    text = inspect.cleandoc(doc or "")
    marks = list(_SECTION.finditer(text))
    return {m.group(1).strip(): text[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)]
            for i, m in enumerate(marks)}


_SOLUTION = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
#: The first item of a type's alternative: a parenthesised shape, or the text up to a comma.
_ALTERNATIVE = re.compile(r"(?:[^,(]|\([^)]*\))+")


def solution_raises(function) -> set[str]:
    """The exceptions raised inside the function's solution regions (what the stub leaves out)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return set()
    return {m for region in _SOLUTION.findall(source) for m in re.findall(r"raise (\w+)", region)}


def promises(function) -> list[tuple[str, tuple[str, ...]]]:
    """``[(promise, words a check must hold besides the function's name)]`` of a reference function."""
    parts = sections(function.__doc__)
    found = []
    raised = solution_raises(function)
    for line in parts.get("Raises", "").splitlines():
        if line.strip() and not line.startswith(" ") and line.strip() in raised:
            found.append((f"raises {line.strip()}", (line.strip(),)))
    for line in parts.get("Parameters", "").splitlines():
        if line and not line.startswith(" ") and " or " in line:
            name, _, kind = line.partition(" : ")
            alternative = _ALTERNATIVE.match(kind.replace("`", "").split(" or ", 1)[1].strip()).group(0).strip()
            if alternative.count(")") > alternative.count("("):  # the end of an enclosing parenthesis
                alternative = alternative[:-1].strip()
            shape = re.search(r"\([^()]*\)", alternative)
            found.append((f"accepts {name.strip()} as {alternative}",
                          (shape.group(0) if shape else alternative, "batch", "column")))
    if "NaN" in (function.__doc__ or ""):
        found.append(("says what NaN gives", ("nan",)))
    return found


def check_sources(exercise: Exercise) -> list[str]:
    """Each check's source with its description (a table row's body with the row)."""
    out = []
    for check in exercise.checks:
        func = getattr(check.func, "func", check.func)
        row = getattr(check.func, "arguments", {})
        out.append(f"{inspect.getsource(func)}\n{check.description}\n{row!r}".lower())
    return out


def unchecked(exercise: Exercise) -> set[tuple[str, str, str]]:
    missing = set()
    sources = check_sources(exercise)
    for name in exercise.functions:
        function = getattr(exercise.reference, name, None)
        if not inspect.isfunction(function):
            continue
        for promise, words in promises(function):
            if not any(name.lower() in source and any(w.lower() in source for w in words) for source in sources):
                missing.add((exercise.id, name, promise))
    return missing


def test_every_docstring_promise_has_a_check():
    missing = set()
    for chapter_id in available_chapters():
        for exercise in load_chapter(chapter_id).exercises.values():
            missing |= unchecked(exercise)
    new = sorted(missing - UNCHECKED)
    stale = sorted(UNCHECKED - missing)
    assert not new, "documented behaviour that no check exercises:\n" + "\n".join(map(str, new))
    assert not stale, "these promises have a check now; take them out of UNCHECKED:\n" + "\n".join(map(str, stale))


def test_promises_are_read_from_the_docstring_sections():
    def frame(f, c):
        """Analysis.

        Parameters
        ----------
        f : ndarray of shape (n,) or (n, N), float64
            Signal.
        c : float
            NaN gives +inf.

        Raises
        ------
        ValueError
            If f is empty.
        TypeError
            If c is not a float (the stub's validation: not the student's to write).
        """
        if not isinstance(c, float):
            raise TypeError("c")
        ### BEGIN SOLUTION
        if not len(f):
            raise ValueError("f")
        ### END SOLUTION

    assert promises(frame) == [("raises ValueError", ("ValueError",)),
                               ("accepts f as (n, N)", ("(n, N)", "batch", "column")),
                               ("says what NaN gives", ("nan",))]
