"""A property check's examples: hypothesis draws them once per process, and every submission's
grading replays them.

With its seed and strategies fixed, hypothesis draws a check's examples in an order that
depends only on the examples drawn before, never on the code under test, for as long as every
example passes and none is rejected. So the examples of a passing run are the same for every
submission in a class, and drawing them is a large part of grading (almost half of an in-process
ch06 grading: ``benchmarks/README.md``, "Figures behind the code"). Hence:

1. :func:`known_examples` lets hypothesis draw a check's examples with the check's own seed and
   strategies, calling nothing, once per process, and keeps them.
2. :func:`replay` runs the check body on a fresh copy of each, in hypothesis's order, the way
   hypothesis runs an example (the global random generators seeded as hypothesis seeds them).
3. Only if an example fails, raises or is rejected does the engine run the check through
   hypothesis the usual way. That run tries the same examples in the same order, so it meets
   the same first failure, and shrinks it: the verdict, the message and the counterexample are
   the usual run's, by construction. ``tests/graders/test_examples.py`` checks, for every
   property check of every chapter, that the replayed examples are the ones hypothesis's own run
   feeds the check.
4. After an example it rejects, hypothesis draws other examples than it would have. A check
   whose examples the reference solution rejects (its :func:`assume` on the inputs, say) has
   them drawn again with its body run on the reference inside hypothesis
   (:func:`redraw_through`, called where its plan is recorded, :mod:`graders.grading.replay.plans`). They come
   with the indices rejected there; the replay passes over a rejection at exactly those, and so
   runs what hypothesis's own run does for a submission rejected where the reference is.

Student code whose answers depend on earlier calls (state kept between calls) can fail in the
replay and then pass the usual run, which starts after the replay's calls. The engine then fails
the check as not deterministic, as it does hypothesis's own flaky failures: a replay never makes a
verdict more lenient.

Check code rejects an example with :func:`graders.grading.outcomes.assume` (hypothesis's own
``assume`` only works inside a hypothesis run; the authoring API exports ours).

Importing this module also makes what hypothesis draws depend on the seed alone
(:func:`_pin_generation`): without it, the same seed draws different examples depending on which
modules the grading process happens to have imported.
"""
from __future__ import annotations

import contextlib
import copy
import random
import warnings
from typing import Callable, Iterator

import hypothesis
from hypothesis.errors import HypothesisDeprecationWarning, UnsatisfiedAssumption
from hypothesis.internal.entropy import RANDOMS_TO_MANAGE, deterministic_PRNG

from graders.grading.outcomes import Rejected, outside_hypothesis


def _pin_generation() -> None:
    """Draw from hypothesis's built-in constants only.

    Now and then, hypothesis (since 6.131) draws a literal constant that it collects from every
    "local" module loaded at the time: here the grader's own modules, the reference solutions
    imported on first use, and, in-process, students' modules. The pool grows as a process
    imports more, so a seed would draw different examples in a fresh process than in one that
    has graded before, and a replayed example would not be the one the usual run draws.
    Hypothesis has no setting for this, so its pool of local constants is kept empty (an
    internal of the pinned hypothesis version; ``tests/graders/test_examples.py`` fails if it
    stops working)."""
    from hypothesis.internal.conjecture import providers
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()  # pools computed before the pin


_pin_generation()


#: The state hypothesis puts a managed ``random.Random`` in before each example (its seed is 0).
_SEEDED_STATE = random.Random(0).getstate()


@contextlib.contextmanager
def _seeded_as_hypothesis_seeds() -> Iterator[Callable[[], None]]:
    """For a run of examples: the global random generators hypothesis manages (``random``,
    numpy's, any registered with it) saved once, and put back when the run ends; yields
    ``reseed``, which seeds each the way hypothesis does before an example.

    Each example so starts from the states it would under hypothesis's own
    ``deterministic_PRNG()``, which also saves and restores them around every example (numpy's
    ``get_state`` and ``set_state`` copy its 624 words one by one, a cost paid per example
    otherwise). Between two examples nothing runs that could see the difference."""
    with deterministic_PRNG():  # registers hypothesis's own generator, saves every state, seeds
        managed = [generator for generator in (ref() for ref in RANDOMS_TO_MANAGE.data.copy().values())  # type: ignore[attr-defined]
                   if generator is not None]

        def reseed() -> None:
            for generator in managed:
                if type(generator) is random.Random:
                    generator.setstate(_SEEDED_STATE)
                else:
                    generator.seed(0)

        yield reseed


class _KnownExamples:
    """One check's examples as drawn, kept with the check (so that its id is never reused), and
    the indices of those that the reference rejects, where they were drawn through it."""

    __slots__ = ("check", "examples", "rejected")

    def __init__(self, check, examples: list[dict] | None, rejected: frozenset[int] = frozenset()):
        self.check = check
        self.examples = examples
        self.rejected = rejected


#: By (id(check), example count, seed).
_KNOWN: dict[tuple[int, int, int], _KnownExamples] = {}


def known_examples(check, examples: int, seed: int) -> list[dict] | None:
    """The keyword arguments hypothesis draws for ``check`` (a property
    :class:`~graders.grading.spec.CheckSpec`) with this example count and seed, in order, when every
    example passes; drawn on the first call, kept for the process. Callers get the kept list:
    run a body on :func:`fresh` copies. None where they cannot be drawn or copied (the check then
    always runs the usual way)."""
    key = (id(check), examples, seed)
    entry = _KNOWN.get(key)
    if entry is None or entry.check is not check:
        entry = _KNOWN[key] = _KnownExamples(check, *(_draw(check, examples, seed) or (None,)))
    return entry.examples


def keep_known(check, examples: int, seed: int, drawn: list[dict], rejected: frozenset[int] = frozenset()) -> None:
    """Keep ``drawn`` (and the indices ``rejected``) as the known examples of ``check`` with this
    example count and seed, in place of drawing them: a self-check replays the examples the
    release was made with (drawn, and drawn again through the reference, where the reference
    is; :mod:`graders.authoring.frozen`)."""
    _KNOWN[(id(check), examples, seed)] = _KnownExamples(check, drawn, frozenset(rejected))


def known_rejections(check, examples: int, seed: int) -> frozenset[int]:
    """The indices of :func:`known_examples` that hypothesis rejected when they were drawn
    through the reference (:func:`redraw_through`); empty otherwise."""
    entry = _KNOWN.get((id(check), examples, seed))
    return entry.rejected if entry is not None and entry.check is check else frozenset()


def redraw_through(check, examples: int, seed: int, probe: Callable[..., None]) -> bool:
    """Draw ``check``'s examples again, hypothesis running ``probe`` (the check's body on the
    reference solution) on each, and keep them, with the indices it rejected, in place of
    :func:`known_examples`. Whether it did: False (the kept examples unchanged) where the probe
    fails an example or hypothesis cannot draw them."""
    drawn = _draw(check, examples, seed, probe)
    if drawn is None:
        return False
    key = (id(check), examples, seed)
    _KNOWN[key] = _KnownExamples(check, *drawn)
    return True


def fresh(example: dict) -> dict:
    """A copy of a kept example that a body may change freely (hypothesis hands every run new
    objects)."""
    return copy.deepcopy(example)


def hypothesis_test(check, body: Callable[..., None], examples: int, seed: int, *, shrink: bool = True):
    """``body`` as the deterministic hypothesis test of ``check``: the check's strategies,
    ``examples`` examples, this seed, no database, no deadline, nothing printed, every health
    check off, and a failure shrunk unless ``shrink`` is False. The engine's usual run and the
    drawing of the known examples are both built here, so they draw alike."""
    body.__name__ = check.name
    phases = (hypothesis.Phase.explicit, hypothesis.Phase.reuse, hypothesis.Phase.generate)
    runner = hypothesis.given(**check.given)(body)
    runner = hypothesis.settings(
        max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=False,
        report_multiple_bugs=False, verbosity=hypothesis.Verbosity.quiet,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=phases + ((hypothesis.Phase.shrink,) if shrink else ()),
    )(runner)
    return hypothesis.seed(seed)(runner)


def _draw(check, examples: int, seed: int,
          probe: Callable[..., None] | None = None) -> tuple[list[dict], frozenset[int]] | None:
    """The examples hypothesis draws for ``check`` calling nothing (or running ``probe`` on a copy
    of each), and the indices of those rejected; None where they cannot be drawn or copied."""
    drawn: list[dict] = []
    rejected: set[int] = set()

    def record(**kwargs):
        drawn.append(kwargs)
        if probe is None:
            return
        try:
            probe(**fresh(kwargs))
        except UnsatisfiedAssumption:
            rejected.add(len(drawn) - 1)
            raise

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HypothesisDeprecationWarning)
            hypothesis_test(check, record, examples, seed, shrink=False)()
        copy.deepcopy(drawn)  # examples that cannot be copied are never replayed
    except Exception:  # noqa: BLE001 - e.g. Unsatisfiable strategies: the usual run reports it
        return None
    return drawn, frozenset(rejected)


class Replay:
    """How a replay ended: ``passed``, or the first example that did not pass, with ``failure``
    (the exception it raised) or ``rejected`` (rejected, or passed, where hypothesis's run on
    the reference did otherwise: from there, hypothesis draws other examples)."""

    __slots__ = ("passed", "index", "failure", "rejected")

    def __init__(self, passed: bool, index: int = -1, failure: BaseException | None = None, rejected: bool = False):
        self.passed, self.index, self.failure, self.rejected = passed, index, failure, rejected


def replay(body: Callable[..., None], examples: list[dict], stops: Callable[[BaseException], bool],
           rejected: frozenset[int] = frozenset()) -> Replay:
    """Run ``body(**example)`` on a fresh copy of each example, in order, until one does not pass.
    The examples at the indices in ``rejected`` (:func:`known_rejections`) must be rejected.

    Each runs as hypothesis runs an example: with the global random generators (``random``,
    numpy's) seeded the way hypothesis seeds them; they are restored after the run.

    Raises
    ------
    BaseException
        A failure ``stops`` accepts (a lost session, running out of memory), as it is: the usual
        run would stop at the same example without shrinking it.
    """
    with outside_hypothesis(), _seeded_as_hypothesis_seeds() as reseed:
        for index, example in enumerate(examples):
            try:
                reseed()
                body(**fresh(example))
            except (Rejected, UnsatisfiedAssumption):
                if index in rejected:
                    continue  # as on the reference: hypothesis goes on to the next example
                return Replay(False, index, rejected=True)
            except Exception as failure:  # noqa: BLE001 - every failure goes to the usual run
                if stops(failure):
                    raise
                return Replay(False, index, failure=failure)
            if index in rejected:
                return Replay(False, index, rejected=True)
    return Replay(True)
