"""Grading settings: an immutable, validated dataclass and named profiles.

The ``grading`` profile is what a TA's grade uses: every check (hidden ones included),
deterministic hypothesis (an explicit seed per check derived from ``seed``, no example database,
no deadline: the sandbox enforces time), bounded shrinking. ``local`` is the public part of a
grade (public checks only: ``geodl grade`` without ``--hidden``, ``geodl check``). ``selfcheck``
is ``local`` as a student's release runs it, with the reference frozen
(:mod:`graders.authoring.frozen`): a property that fails on a known example reports that
example, unshrunk (shrinking would call the reference on new inputs), and calls are made one
by one (a plan is recorded on the reference, which a release does not hold). ``ci`` gives slow CI
machines more time.

>>> get_profile("grading").include_hidden
True
>>> get_profile("local").replace(seed=7).seed
7
>>> get_profile("selfcheck").shrink, get_profile("selfcheck").include_hidden
(False, False)
>>> GradingSettings(max_examples=0)
Traceback (most recent call last):
    ...
ValueError: max_examples=0 must be at least 1; to run no generated examples, give the check no strategies.
"""
from __future__ import annotations

import dataclasses
import hashlib
from typing import Any


@dataclasses.dataclass(frozen=True)
class GradingSettings:
    """How to grade. Every field is validated by ``_validate_<field>``."""

    seed: int = 0                    #: base seed; each check's hypothesis seed derives from it
    max_examples: int = 20           #: default hypothesis examples per check
    call_timeout_s: float = 5.0      #: wall clock per call into the student's code
    exercise_timeout_s: float = 20.0  #: wall clock for all calls of one exercise (CURRICULUM's hard limit)
    shrink_seconds: float = 5.0      #: bound on hypothesis shrinking per check
    include_hidden: bool = True      #: run hidden (and after-deadline) checks
    #: Replay each property's examples, drawn once per process, before any hypothesis run; only
    #: an example that does not pass sends the check through hypothesis (graders.grading.replay.examples).
    replay_examples: bool = True
    #: Make a replayed property's calls in one stream, planned on the reference solution
    #: (graders.grading.replay.plans): exact, and one switch to the worker per check instead of one per call.
    plan_calls: bool = True
    #: Where a replayed example fails, run the property through hypothesis, which shrinks the
    #: failure. False reports the replayed example as it failed, unshrunk (and a property that is
    #: not replayed runs without shrinking): what a self-check whose reference values were frozen
    #: at release time can do. The verdict is the same either way; the counterexample may be larger.
    shrink: bool = True
    profile: str = "custom"

    def __post_init__(self):
        for field in dataclasses.fields(self):
            validator = globals().get(f"_validate_{field.name}")
            if validator is not None:
                validator(getattr(self, field.name))

    def replace(self, **changes: Any) -> "GradingSettings":
        return dataclasses.replace(self, **changes)

    def check_seed(self, check_id: str) -> int:
        """The hypothesis seed of one check: stable across processes and Python versions."""
        digest = hashlib.sha256(f"{self.seed}:{check_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") & (2**63 - 1)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _validate_seed(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"seed={value!r} must be a non-negative int")


def _validate_max_examples(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"max_examples={value!r} must be at least 1; to run no generated examples, give the check no strategies."
        )


def _positive_seconds(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name}={value!r} must be a positive number of seconds")


def _validate_call_timeout_s(value: Any) -> None:
    _positive_seconds("call_timeout_s", value)


def _validate_exercise_timeout_s(value: Any) -> None:
    _positive_seconds("exercise_timeout_s", value)


def _validate_shrink_seconds(value: Any) -> None:
    _positive_seconds("shrink_seconds", value)


def _validate_include_hidden(value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"include_hidden={value!r} must be a bool")


def _validate_shrink(value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"shrink={value!r} must be a bool")


_PROFILES: dict[str, GradingSettings] = {}


def register_profile(name: str, parent: GradingSettings | None = None, **changes: Any) -> GradingSettings:
    """Register (or replace) a named profile derived from ``parent`` (default settings)."""
    base = parent if parent is not None else GradingSettings()
    profile = dataclasses.replace(base, profile=name, **changes)
    _PROFILES[name] = profile
    return profile


def get_profile(name: str) -> GradingSettings:
    """The profile called ``name``; ``KeyError`` naming the known ones otherwise."""
    try:
        return _PROFILES[name]
    except KeyError:
        raise KeyError(f"profile={name!r} is not registered; known profiles: {', '.join(sorted(_PROFILES))}") from None


register_profile("grading")
register_profile("local", include_hidden=False)
register_profile("selfcheck", get_profile("local"), shrink=False, plan_calls=False)
register_profile("ci", get_profile("grading"), call_timeout_s=15.0, exercise_timeout_s=60.0)
