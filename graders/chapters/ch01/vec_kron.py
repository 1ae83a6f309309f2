"""ch01.vec_kron — column-stacking VEC (Def 1.15) and the Kronecker product A ⊗ B = [a_ij B] (Def 1.14)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring.checks import as_array, assert_close, expect
from graders.authoring.checks.strategies import distinct_dims, rng, seeds
from graders.chapters.ch01 import ORACLES, chapter

exercise = chapter.exercise(
    "ch01.vec_kron",
    module="ch01.linalg",
    functions=("vec", "unvec", "kron"),
    reference="geodl_ref.ch01.linalg",
    forbidden=ORACLES + ("numpy.kron",),
    title="Column-stacking VEC and the Kronecker product",
)

#: Four pairwise different sizes (m, n, p, q) and a seed for the values.
_four = st.tuples(distinct_dims(4, 1, 5), seeds())
#: Two different sizes (m, n) and a seed.
_two = st.tuples(distinct_dims(2, 1, 6), seeds())


def _kron(ctx, A, B, name="kron(A, B)") -> np.ndarray:
    got = ctx.call("kron", A, B)
    return as_array(got, name=name, shape=(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1]))


def _vec(ctx, A, name="vec(A)") -> np.ndarray:
    return as_array(ctx.call("vec", A), name=name, shape=(A.size,))


@exercise.check(points=2, visibility="public", given={"case": _four}, max_examples=20)
def kron_matches_numpy(ctx, case):
    """kron(A, B) equals np.kron(A, B): block (i, j) is a_ij B, for A (m, n) and B (p, q) of
    pairwise different sizes (relative 1e-12)."""
    (m, n, p, q), seed = case
    g = rng(seed)
    A, B = g.normal(size=(m, n)), g.normal(size=(p, q))
    assert_close(_kron(ctx, A, B), np.kron(A, B), rtol=1e-12, name=f"kron(A, B) for A {A.shape}, B {B.shape}")


@exercise.check(points=1, visibility="public", given={"case": _two}, max_examples=15)
def vec_stacks_columns(ctx, case):
    """vec(A) stacks the columns of A (vec(A)[i + j m] = A[i, j]), and unvec(v, m, n) refills an
    m × n matrix column by column."""
    (m, n), seed = case
    g = rng(seed)
    A, v = g.normal(size=(m, n)), g.normal(size=m * n)
    got = _vec(ctx, A)
    if np.array_equal(got, A.reshape(-1)) and not np.array_equal(got, A.reshape(-1, order="F")):
        ctx.fail(f"vec(A) for A of shape {A.shape} stacks the rows (numpy's row-major A.reshape(-1)); "
                 "Def 1.15 stacks the columns: vec(A)[i + j*m] = A[i, j]")
    assert_close(got, A.reshape(-1, order="F"), rtol=1e-15, name=f"vec(A) for A of shape {A.shape}")
    back = as_array(ctx.call("unvec", v, m, n), name=f"unvec(v, {m}, {n})", shape=(m, n))
    assert_close(back, v.reshape(m, n, order="F"), rtol=1e-15, name=f"unvec(v, {m}, {n})")


@exercise.check(points=1, visibility="public", given={"case": _two}, max_examples=15)
def unvec_inverts_vec(ctx, case):
    """unvec(vec(A), m, n) = A and vec(unvec(v, m, n)) = v."""
    (m, n), seed = case
    g = rng(seed)
    A, v = g.normal(size=(m, n)), g.normal(size=m * n)
    again = as_array(ctx.call("unvec", _vec(ctx, A), m, n), name=f"unvec(vec(A), {m}, {n})", shape=(m, n))
    assert_close(again, A, rtol=1e-15, name=f"unvec(vec(A), {m}, {n})")
    refilled = as_array(ctx.call("unvec", v, m, n), name=f"unvec(v, {m}, {n})", shape=(m, n))
    assert_close(_vec(ctx, refilled, name="vec(unvec(v))"), v, rtol=1e-15, name=f"vec(unvec(v, {m}, {n}))")


@exercise.check(points=2, visibility="public", given={"seed": seeds()}, max_examples=10)
def vec_CAB_identity(ctx, seed):
    """VEC(CAB) = (Bᵀ ⊗ C) VEC(A) with C 3×4, A 4×5, B 5×2, all computed with your vec and kron
    (relative 1e-10)."""
    g = rng(seed)
    C, A, B = g.normal(size=(3, 4)), g.normal(size=(4, 5)), g.normal(size=(5, 2))
    lhs = _vec(ctx, C @ A @ B, name="vec(C A B)")
    rhs = _kron(ctx, B.T, C, name="kron(B.T, C)") @ _vec(ctx, A)
    assert_close(lhs, rhs, rtol=1e-10, name="vec(C A B) − kron(B.T, C) @ vec(A)")


@exercise.check(points=1, visibility="hidden", given={"case": _two}, max_examples=10)
def vec_outer_product(ctx, case):
    """VEC(x yᵀ) = (y ⊗ I_m) x for x of length m and y of length k ≠ m (relative 1e-12)."""
    (m, k), seed = case
    g = rng(seed)
    x, y = g.normal(size=m), g.normal(size=k)
    lhs = _vec(ctx, np.outer(x, y), name="vec(x yᵀ)")
    rhs = _kron(ctx, y[:, None], np.eye(m), name="kron(y, I_m)") @ x
    assert_close(lhs, rhs, rtol=1e-12, name="vec(x yᵀ) − (y ⊗ I) x")


@exercise.check(points=2, visibility="hidden", given={"case": st.tuples(distinct_dims(6, 1, 6), seeds())},
                max_examples=12)
def kron_algebra(ctx, case):
    """Mixed product (A⊗B)(C⊗D) = AC ⊗ BD, transpose (A⊗B)ᵀ = Aᵀ⊗Bᵀ, and inverse
    (P⊗S)⁻¹ = P⁻¹⊗S⁻¹, all with your kron (relative 1e-10)."""
    (m, n, p, q, r, s), seed = case
    g = rng(seed)
    A, B, C, D = g.normal(size=(m, n)), g.normal(size=(p, q)), g.normal(size=(n, r)), g.normal(size=(q, s))
    AB = _kron(ctx, A, B, name="kron(A, B)")
    assert_close(AB @ _kron(ctx, C, D, name="kron(C, D)"), _kron(ctx, A @ C, B @ D, name="kron(A C, B D)"),
                 rtol=1e-10, name="(A⊗B)(C⊗D) − (AC)⊗(BD)")
    assert_close(AB.T, _kron(ctx, A.T, B.T, name="kron(A.T, B.T)"), rtol=1e-12, name="(A⊗B)ᵀ − Aᵀ⊗Bᵀ")
    P, S = g.normal(size=(m, m)) + 3 * np.eye(m), g.normal(size=(p, p)) + 3 * np.eye(p)
    assert_close(np.linalg.inv(_kron(ctx, P, S, name="kron(P, S)")),
                 _kron(ctx, np.linalg.inv(P), np.linalg.inv(S), name="kron(inv(P), inv(S))"),
                 rtol=1e-10, name="(P⊗S)⁻¹ − P⁻¹⊗S⁻¹")


@exercise.check(points=1, visibility="public")
def kron_does_not_commute(ctx):
    """A ⊗ B ≠ B ⊗ A for generic A (2×3), B (3×2): both are 6×6 and differ (the "A⊗B = B⊗A" of
    the book's Lemma 1.2 is a misprint), and each equals np.kron in its own order."""
    g = rng(12)
    A, B = g.normal(size=(2, 3)), g.normal(size=(3, 2))
    AB, BA = _kron(ctx, A, B), _kron(ctx, B, A, name="kron(B, A)")
    expect(not np.allclose(AB, BA, rtol=1e-6, atol=0),
           "kron(A, B) and kron(B, A) should differ for generic A (2×3) and B (3×2): the Kronecker product "
           "does not commute (Lemma 1.2's A⊗B = B⊗A is a misprint)")
    assert_close(AB, np.kron(A, B), rtol=1e-12, name="kron(A, B)")
    assert_close(BA, np.kron(B, A), rtol=1e-12, name="kron(B, A)")
