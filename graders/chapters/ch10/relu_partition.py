"""ch10.relu_partition: activation patterns, local affine maps and regions of a ReLU network (eqs 10.44–10.45)."""
from __future__ import annotations

import itertools

import numpy as np

from graders.authoring import Anything, Array, Exercise, Tuple, assert_close, assume, expect, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch10.partition", functions=("activation_pattern", "local_affine", "enumerate_patterns"),
                    forbidden=("sympy",), title="The partition of a ReLU network")

#: Book Problem 10.1(a) and (c): a 2-2-2 network.
_W0, _B0 = [[2.0, -1.0], [1.0, 1.0]], [1.0, -1.0]
_BOOK_A = [(np.array(_W0), np.array(_B0)), (np.array([[1.0, 2.0], [-1.0, 1.0]]), np.array([-9.0, -2.0]))]
_BOOK_C = [(np.array(_W0), np.array(_B0)), (np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([0.0, 1.0]))]
_BOX = (-19.9871, 20.0137, 401)  # off the grid of the book's integer boundaries


def _network(seed: int, d: int | None = None, zero_bias: bool = False) -> tuple[list, np.ndarray]:
    """A random ReLU network of 1–3 layers (widths 1–5, all different from d) and a point x of shape (d,)."""
    g = np.random.default_rng(seed)
    widths = [int(d or g.integers(2, 5))] + [int(w) for w in g.integers(1, 6, size=int(g.integers(1, 4)))]
    params = [(g.normal(size=(m, n)), np.zeros(m) if zero_bias else g.normal(size=m))
              for n, m in zip(widths, widths[1:])]
    return params, g.normal(size=widths[0])


def _as_pattern(value: object, what: str) -> tuple[int, ...]:
    """A student's pattern (any sequence of 0/1 or booleans) as a tuple of ints, or fail naming it."""
    try:
        flags = tuple(int(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a sequence of 0/1 flags; got {value!r}") from None
    return flags


@oracle
def _forward(params: list, x: np.ndarray) -> np.ndarray:
    """The network's output at x, ReLU after every layer."""
    h = np.asarray(x, dtype=float)
    for W, b in params:
        h = np.maximum(np.asarray(W) @ h + np.asarray(b), 0.0)
    return h


def _patterns(ctx, params: list, box: tuple[float, float, int], what: str) -> dict[tuple[int, ...], int]:
    got = ctx.call("enumerate_patterns", params, *box, returns=Anything())
    expect(isinstance(got, dict), f"{what} should be a dict {{pattern: rank}}; got {type(got).__name__}")
    return {_as_pattern(k, f"a key of {what}"): int(v) for k, v in got.items()}


# ---- patterns and the local affine map -----------------------------------------------------------

@exercise.check(points=2, given={"seed": seeds()}, max_examples=30)
def activation_pattern_matches(ctx, seed):
    """activation_pattern flags each neuron (pre-activation > 0), layer 0 first, the last layer included."""
    params, x = _network(seed)
    got = _as_pattern(ctx.call("activation_pattern", params, x, returns=Anything()), "activation_pattern(params, x)")
    want = ctx.ref.activation_pattern(params, x)
    expect(got == want, f"activation_pattern(params, x) should be {want}; got {got} (widths "
                        f"{[W.shape[0] for W, _ in params]})")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=30)
def local_affine_matches(ctx, seed):
    """local_affine gives A = Dᴸ Wᴸ ⋯ D⁰ W⁰ and c with f = A x + c on x's region (eq 10.45)."""
    params, x = _network(seed)
    A_want, c_want = ctx.ref.local_affine(params, x)
    A, c = ctx.call("local_affine", params, x, returns=Tuple(Array(A_want.shape), Array(c_want.shape)))
    assert_close(A, A_want, rtol=1e-12, atol=1e-14, name="A of local_affine(params, x)")
    assert_close(c, c_want, rtol=1e-12, atol=1e-14, name="c of local_affine(params, x)")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=30)
def local_affine_reproduces_the_network(ctx, seed):
    """A x′ + c equals the network's output at x′ = x and at a nearby x′ with the same pattern (1e-12)."""
    params, x = _network(seed)
    near = x + 1e-6 * np.random.default_rng(seed + 1).normal(size=x.shape)
    assume(ctx.ref.activation_pattern(params, near) == ctx.ref.activation_pattern(params, x))
    out = _forward(params, x)
    A, c = ctx.call("local_affine", params, x, returns=Tuple(Array((out.size, x.size)), Array(out.shape)))
    for point, name in ((x, "x"), (near, "x + δ")):
        assert_close(A @ point + c, _forward(params, point), rtol=1e-12, atol=1e-12,
                     name=f"A·({name}) + c vs the network's output at {name}")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=20)
def local_affine_is_the_jacobian(ctx, seed):
    """A is the network's Jacobian at x (central differences, step 1e-6)."""
    params, x = _network(seed)
    out = _forward(params, x)
    A, _ = ctx.call("local_affine", params, x, returns=Tuple(Array((out.size, x.size)), Array(out.shape)))
    h = 1e-6
    J = np.stack([(_forward(params, x + h * e) - _forward(params, x - h * e)) / (2 * h) for e in np.eye(x.size)],
                 axis=1)
    assert_close(A, J, rtol=1e-5, atol=1e-6, name="A vs the central-difference Jacobian")


# ---- the partition of the plane -----------------------------------------------------------------

@exercise.check(points=2)
def book_problem_10_1a(ctx):
    """Book Problem 10.1(a): on the box [−20, 20]² (a 401² grid) the network has 10 regions: 1 of rank 2,
    5 of rank 1, 4 of rank 0."""
    got = _patterns(ctx, _BOOK_A, _BOX, "enumerate_patterns(problem 10.1(a))")
    want = ctx.ref.enumerate_patterns(_BOOK_A, *_BOX)
    expect(got == want, f"enumerate_patterns(problem 10.1(a)) should be {want}; got {got}")


@exercise.check(points=1)
def book_problem_10_1c(ctx):
    """Book Problem 10.1(c) (W¹ = [[1, 2], [0, 1]], b¹ = [0, 1]): 4 regions, ranks {0, 1, 1, 2}."""
    got = _patterns(ctx, _BOOK_C, _BOX, "enumerate_patterns(problem 10.1(c))")
    want = ctx.ref.enumerate_patterns(_BOOK_C, *_BOX)
    expect(got == want, f"enumerate_patterns(problem 10.1(c)) should be {want}; got {got}")


def _feasible(params: list, pattern: tuple[int, ...], lo: float, hi: float) -> bool:
    """Whether the pattern's region meets the box's interior: max t s.t. ±zᵢ(x) ≥ t, by linprog."""
    from scipy.optimize import linprog

    rows, rhs, A, c = [], [], np.eye(2), np.zeros(2)
    flags = iter(pattern)
    for W, b in params:
        Z, z0 = W @ A, W @ c + b                    # z = Z x + z0 under the pattern so far
        D = np.array([next(flags) for _ in range(W.shape[0])], dtype=float)
        for s, Zi, zi in zip(2 * D - 1, Z, z0):     # s (Zi x + zi) ≥ t  ⇔  −s Zi x + t ≤ s zi
            rows.append([*(-s * Zi), 1.0])
            rhs.append(s * zi)
        A, c = D[:, None] * Z, D * z0
    res = linprog([0.0, 0.0, -1.0], A_ub=np.array(rows), b_ub=np.array(rhs),
                  bounds=[(lo, hi), (lo, hi), (None, 1.0)])
    return bool(res.status == 0 and -res.fun > 1e-6)


@exercise.check(points=2, visibility="hidden", depends_on="book_problem_10_1a")
def patterns_are_the_feasible_regions(ctx):
    """The patterns of problem 10.1(a) are exactly those whose region is non-empty (a linprog per pattern)."""
    got = _patterns(ctx, _BOOK_A, _BOX, "enumerate_patterns(problem 10.1(a))")
    feasible = {p for p in itertools.product((0, 1), repeat=4) if _feasible(_BOOK_A, p, *_BOX[:2])}
    expect(set(got) == feasible, f"the non-empty regions are {sorted(feasible)}; got {sorted(got)}")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=10,
                depends_on="book_problem_10_1a")
def rank_at_most_active_neurons(ctx, seed):
    """The rank of every region's A is at most the number of active neurons of each layer."""
    params, _ = _network(seed, d=2)
    sizes = np.cumsum([0] + [W.shape[0] for W, _ in params])
    for pattern, rank in _patterns(ctx, params, (-3.0, 3.0, 61), "enumerate_patterns").items():
        active = min(sum(pattern[a:b]) for a, b in zip(sizes, sizes[1:]))
        expect(0 <= rank <= min(active, 2), f"pattern {pattern} has rank {rank}, above its fewest active neurons "
                                            f"in a layer ({active})")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=10,
                depends_on="book_problem_10_1a")
def zero_biases_give_cones(ctx, seed):
    """With zero biases every boundary passes through 0: [−1, 1]² and [−50, 50]² show the same patterns."""
    params, _ = _network(seed, d=2, zero_bias=True)
    small = _patterns(ctx, params, (-1.0, 1.0, 41), "enumerate_patterns on [−1, 1]²")
    large = _patterns(ctx, params, (-50.0, 50.0, 41), "enumerate_patterns on [−50, 50]²")
    expect(small == large, f"with zero biases the patterns should not depend on the box; got {small} and {large}")
