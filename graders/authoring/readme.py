"""The README of a released chapter (``chNN/README.md``), generated from its grader spec: how to
install and run the self-check, what to submit and which form is graded, what is forbidden, and
how the score is made. It names and describes the public checks only: of the hidden ones it
gives how many there are and their points.

>>> text = chapter_readme("ch06")
>>> text.splitlines()[0]
'# ch06: Artificial neural networks and backpropagation'
>>> ".venv/bin/pip install -r ch06/requirements.txt" in text and ".venv/bin/pytest ch06" in text
True
"""
from __future__ import annotations

from graders.chapters import load_chapter
from graders.grading.spec import Chapter, CheckSpec, Exercise


def chapter_readme(chapter_id: str) -> str:
    """The text of ``chNN/README.md`` in the student release of ``chapter_id`` (markdown)."""
    chapter = load_chapter(chapter_id)
    parts = [_intro(chapter), _install(chapter), _self_check(chapter), _exercises(chapter), _score(chapter),
             _forbidden(chapter), _submit(chapter)]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def _count(number: float, noun: str) -> str:
    return f"{number:g} {noun}" + ("" if number == 1 else "s")


def _points(value: float) -> str:
    return _count(value, "point")


def _public(exercise: Exercise) -> list[CheckSpec]:
    return [check for check in exercise.checks if check.visibility == "public"]


def _hidden(exercise: Exercise) -> list[CheckSpec]:
    return [check for check in exercise.checks if check.visibility != "public"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(chapter: Chapter) -> str:
    return chapter.modules[0].split(".", 1)[1].replace(".", "/") + ".py" if chapter.modules else "module.py"


def _intro(chapter: Chapter) -> str:
    ch = chapter.id
    return f"""
# {ch}: {chapter.title}

The programming exercises of chapter {int(ch[2:])} of *Geometry of Deep Learning* (J. C. Ye, Springer
2022): {_count(len(chapter.exercises), 'exercise')}, {_points(chapter.max_points)}. Your code goes in the places marked
`YOUR CODE HERE`, in the module files of this folder (`{ch}/{_example(chapter)}`...) or in the notebook
`{ch}/{ch}.ipynb`, whose code cells write those same files. Work in the form you like: both are
checked and graded the same way.

Every command below runs in the folder that holds `{ch}/` (the folder above this README's).
"""


def _install(chapter: Chapter) -> str:
    ch = chapter.id
    return f"""
## Install

Once, in the folder that holds `{ch}/`:

```
python3 -m venv .venv && .venv/bin/pip install -r {ch}/requirements.txt
```

This makes a virtual environment `.venv/` holding what the self-check of {ch} needs (the
packages `{ch}/requirements.txt` lists) and nothing of the grader. On Windows, the programs are
`.venv\\Scripts\\pip` and `.venv\\Scripts\\pytest`.
"""


def _self_check(chapter: Chapter) -> str:
    ch, example = chapter.id, _example(chapter)
    gpu = ("\nChecks that need a GPU are skipped where your machine has none; they run when your work is graded.\n"
           if any(check.gpu for e in chapter.exercises.values() for check in e.checks) else "")
    return f"""
## Check yourself

```
.venv/bin/pytest {ch}
```

runs every public check of the exercises (listed below) against the code in `{ch}/`, one test
per check (`.venv/bin/pytest {ch} -k <exercise>` runs one exercise's). A failing test shows what the
grader found: expected and got, and a call you can paste to reproduce it. Your code runs in a
separate process, as it will when graded.

In Jupyter, open `{ch}/{ch}.ipynb` with a kernel of the environment above (for instance:
`.venv/bin/pip install notebook`, then `.venv/bin/jupyter notebook` in the folder that holds
`{ch}/`). Jupyter runs a notebook in its own folder, `{ch}/`. Run its cells from the top: each
code cell writes its module file next to the notebook (`%%writefile {example}` writes
`{ch}/{example}`, the file `pytest` checks and the grader grades), and each test cell runs one
public check on the files written. The cells of the hidden checks do nothing on your machine.
{gpu}"""


def _exercises(chapter: Chapter) -> str:
    rows = ["| exercise | file | functions | points | public checks | hidden checks |",
            "|---|---|---|---|---|---|"]
    for e in chapter.exercises.values():
        public, hidden = _public(e), _hidden(e)
        functions = ", ".join(f"`{name}`" for name in e.functions)
        rows.append(f"| `{e.id}`: {_cell(e.title)} | `{e.module_file}` | {functions} | {e.max_points:g} "
                    f"| {len(public)} ({_points(sum(c.points for c in public))}) "
                    f"| {len(hidden)} ({_points(sum(c.points for c in hidden))}) |")
    rows.append(f"| **total** | | | **{chapter.max_points:g}** | | |")
    return "## The exercises\n\n" + "\n".join(rows)


def _score(chapter: Chapter) -> str:
    lines = [f"""
## How the score is made

Each exercise is worth the points of its checks. A check scores all its points when it passes and
none when it fails. The score is the sum over all checks, out of {_points(chapter.max_points)}.

* **Public checks** are the ones `.venv/bin/pytest {chapter.id}` and the notebook's test cells
  run: the points they show you passing are points of your grade, given the same code.
* **Hidden checks** run only when your work is graded. They test the same functions on other
  inputs and properties. Nothing of them is published before: your feedback shows each one's
  name, outcome and points only. Passing every public check is no promise of passing them: test
  your functions beyond the public cases.

What scores zero:

* a check whose call into your code returns a wrong value, raises an exception, runs past its
  time limit or crashes (that check only; the next check runs);
* every check of an exercise whose module file cannot be imported (a syntax error, say);
* a whole exercise whose module file is missing from your submission, or whose code uses
  something the exercise forbids (next section).

The public checks, with their points:"""]
    for e in chapter.exercises.values():
        hidden = _hidden(e)
        tail = (f"; and {_count(len(hidden), 'hidden check')} for {_points(sum(c.points for c in hidden))}"
                if hidden else "")
        lines.append(f"\n**`{e.id}`** ({_points(e.max_points)}{tail}):\n")
        for check in _public(e):
            about = f": {check.description}" if check.description else ""
            lines.append(f"- `{check.name}` ({_points(check.points)}){_cell(about)}")
    return "\n".join(lines)


def _forbidden(chapter: Chapter) -> str:
    shared = [f"`{name}`" for name in chapter.forbidden]
    own = {e.id: [f"`{name}`" for name in e.forbidden if name not in chapter.forbidden]
           for e in chapter.exercises.values()}
    lines = ["## What is forbidden", ""]
    if shared or any(own.values()):
        lines.append("Using a forbidden name in an exercise's module, or in a module of the chapter that it "
                     "imports, scores that exercise 0: importing a forbidden module (or any of its submodules), "
                     "or calling a forbidden function, however it is reached.")
        lines.append("")
        if shared:
            lines.append(f"* In every exercise of {chapter.id}: {', '.join(shared)}.")
        for exercise_id, names in own.items():
            if names:
                lines.append(f"* In `{exercise_id}`{' also' if shared else ''}: {', '.join(names)}.")
        lines.append("")
    lines.append(_sandbox_rules(chapter))
    return "\n".join(lines)


def _sandbox_rules(chapter: Chapter) -> str:
    """How the grader runs the student's code: what it may use, and its limits."""
    from graders.grading.settings import get_profile
    from graders.sandbox.base import SandboxLimits

    settings, limits = get_profile("grading"), SandboxLimits()
    packages = ", ".join(chapter.sandbox_packages)
    scratch, memory = limits.scratch_bytes / 2**20, limits.memory_bytes / 2**30
    return f"""When graded, your code runs in a sandbox, apart from the grader:

* it may import the Python standard library and {packages}; nothing else is
  installed there, and it has no network;
* it sees its own files only (no other student's, nothing of the grader), and may write to a
  private scratch folder of {scratch:g} MiB that is gone afterwards;
* each call into your code has {settings.call_timeout_s:g} s (wall clock), all calls of one exercise
  {settings.exercise_timeout_s:g} s; the whole sandbox has {memory:g} GiB of memory and {limits.cpus:g} CPU core; a call
  past its time fails its check;
* what your code prints is kept (its last lines), never read as a result: a check passes only on
  the values your functions return."""


def _submit(chapter: Chapter) -> str:
    ch = chapter.id
    return f"""
## What to submit

Submit the folder `{ch}/` as it is: your code is in its module files, or in its notebook `{ch}.ipynb`,
or both. Save the notebook first: it is graded from its saved code cells (its `%%writefile` cells are
read, never run).

**Which form is graded.** Each module file is graded from the file itself, unless the file is
missing, or is still the stub you received while the notebook holds code for it: then the
notebook's code for it is graded. So whichever form you work in, the other one, left as you
received it, does no harm. Where both hold code of your own for a file and it differs, the module
file is graded: it is what `pytest {ch}` and the notebook's test cells check. Your feedback says
which form was graded, file by file, wherever the two differ. Run the notebook's cells before you
submit, and the two forms agree.

**Provided files.** Files whose name starts with `_` (`_validation.py`: the input checks your modules
import) are provided complete. They are graded as you received them: a missing one is put back, and
an edited copy is replaced by the original (your feedback says so). Keep your own code out of them.

**With nbgrader.** Where your course hands out and collects work with nbgrader, fetch `{ch}` (the
Assignments tab of Jupyter, or `nbgrader fetch_assignment {ch} --course COURSE`), work in the folder
`{ch}/` it makes as above, and submit with the Assignments tab's Submit button or
`nbgrader submit {ch} --course COURSE`, run in the folder that holds `{ch}/`: it submits the whole
folder, notebook and module files alike.
"""
