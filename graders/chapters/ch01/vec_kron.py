"""ch01.vec_kron — column-stacking VEC (Def 1.15) and the Kronecker product A ⊗ B = [a_ij B] (Def 1.14)."""
from __future__ import annotations

import numpy as np

from graders.authoring import Array, Exercise, arrays, assert_close, expect, rng, seeds

exercise = Exercise(module="ch01.linalg", functions=("vec", "unvec", "kron"), forbidden=("numpy.kron",),
                    title="Column-stacking VEC and the Kronecker product")

#: A (m, n) and a vector v of length m·n, for two different sizes m and n.
_matrix_and_vector = arrays(A=("m", "n"), v="m*n", dims=(1, 6))


def _kron(ctx, A, B) -> np.ndarray:
    """The student's kron(A, B), of shape (m p, n q) for A (m, n) and B (p, q)."""
    return ctx.call("kron", A, B, returns=Array((A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])))


@exercise.check(points=2, given={"case": arrays(A=("m", "n"), B=("p", "q"), dims=(1, 5))}, max_examples=20)
def kron_matches_numpy(ctx, case):
    """kron(A, B) equals np.kron(A, B): block (i, j) is a_ij B, for A (m, n) and B (p, q) of
    pairwise different sizes (relative 1e-12)."""
    A, B = case.A, case.B
    assert_close(_kron(ctx, A, B), ctx.ref.kron(A, B), rtol=1e-12, name=f"kron(A, B) for A {A.shape}, B {B.shape}")


@exercise.check(points=1, given={"case": _matrix_and_vector}, max_examples=15)
def vec_stacks_columns(ctx, case):
    """vec(A) stacks the columns of A (vec(A)[i + j m] = A[i, j]), and unvec(v, m, n) refills an
    m × n matrix column by column."""
    A, v, m, n = case.A, case.v, case.m, case.n
    got = ctx.call("vec", A, returns=Array((A.size,)))
    want = ctx.ref.vec(A)
    if np.array_equal(got, A.reshape(-1)) and not np.array_equal(got, want):
        ctx.fail(f"vec(A) for A of shape {A.shape} stacks the rows (numpy's row-major A.reshape(-1)); "
                 "Def 1.15 stacks the columns: vec(A)[i + j*m] = A[i, j]")
    assert_close(got, want, rtol=1e-15, name=f"vec(A) for A of shape {A.shape}")
    back = ctx.call("unvec", v, m, n, returns=Array((m, n)))
    assert_close(back, ctx.ref.unvec(v, m, n), rtol=1e-15, name=f"unvec(v, {m}, {n})")


@exercise.check(points=1, given={"case": _matrix_and_vector}, max_examples=15)
def unvec_inverts_vec(ctx, case):
    """unvec(vec(A), m, n) = A and vec(unvec(v, m, n)) = v."""
    A, v, m, n = case.A, case.v, case.m, case.n
    again = ctx.call("unvec", ctx.call("vec", A, returns=Array((A.size,))), m, n, returns=Array((m, n)))
    assert_close(again, A, rtol=1e-15, name=f"unvec(vec(A), {m}, {n})")
    refilled = ctx.call("unvec", v, m, n, returns=Array((m, n)))
    assert_close(ctx.call("vec", refilled, returns=Array((v.size,))), v, rtol=1e-15, name=f"vec(unvec(v, {m}, {n}))")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def vec_CAB_identity(ctx, seed):
    """VEC(CAB) = (Bᵀ ⊗ C) VEC(A) with C 3×4, A 4×5, B 5×2, all computed with your vec and kron
    (relative 1e-10)."""
    g = rng(seed)
    C, A, B = g.normal(size=(3, 4)), g.normal(size=(4, 5)), g.normal(size=(5, 2))
    want = ctx.ref.vec(C @ A @ B)
    assert_close(ctx.call("vec", C @ A @ B, returns=Array((3 * 2,))), want, rtol=1e-10, name="vec(C A B)")
    rhs = _kron(ctx, B.T, C) @ ctx.call("vec", A, returns=Array((4 * 5,)))
    assert_close(rhs, want, rtol=1e-10, name="kron(B.T, C) @ vec(A) (vs VEC(CAB))")


@exercise.check(points=1, visibility="hidden", given={"case": arrays(x="m", y="k", dims=(1, 6))}, max_examples=10)
def vec_outer_product(ctx, case):
    """VEC(x yᵀ) = (y ⊗ I_m) x for x of length m and y of length k ≠ m (relative 1e-12)."""
    x, y, m, k = case.x, case.y, case.m, case.k
    want = ctx.ref.vec(np.outer(x, y))
    assert_close(ctx.call("vec", np.outer(x, y), returns=Array((m * k,))), want, rtol=1e-12, name="vec(x yᵀ)")
    assert_close(_kron(ctx, y[:, None], np.eye(m)) @ x, want, rtol=1e-12, name="kron(y, I) @ x (vs VEC(x yᵀ))")


@exercise.check(points=2, visibility="hidden",
                given={"case": arrays(A=("m", "n"), B=("p", "q"), C=("n", "r"), D=("q", "s"), dims=(1, 6))},
                max_examples=12)
def kron_algebra(ctx, case):
    """Mixed product (A⊗B)(C⊗D) = AC ⊗ BD, transpose (A⊗B)ᵀ = Aᵀ⊗Bᵀ, and inverse
    (P⊗S)⁻¹ = P⁻¹⊗S⁻¹, i.e. (P⊗S)(P⁻¹⊗S⁻¹) = I, all with your kron (relative 1e-10)."""
    A, B, C, D, m, p = case.A, case.B, case.C, case.D, case.m, case.p
    AB = _kron(ctx, A, B)
    assert_close(AB @ _kron(ctx, C, D), _kron(ctx, A @ C, B @ D), rtol=1e-10, name="(A⊗B)(C⊗D) − (AC)⊗(BD)")
    assert_close(AB.T, _kron(ctx, A.T, B.T), rtol=1e-12, name="(A⊗B)ᵀ − Aᵀ⊗Bᵀ")
    g = case.rng
    P, S = g.normal(size=(m, m)) + 3 * np.eye(m), g.normal(size=(p, p)) + 3 * np.eye(p)
    assert_close(_kron(ctx, P, S) @ _kron(ctx, np.linalg.inv(P), np.linalg.inv(S)), np.eye(m * p),
                 rtol=1e-10, name="kron(P, S) @ kron(P⁻¹, S⁻¹) (should be the identity: (P⊗S)⁻¹ = P⁻¹⊗S⁻¹)")


@exercise.check(points=1)
def kron_does_not_commute(ctx):
    """A ⊗ B ≠ B ⊗ A for generic A (2×3), B (3×2): both are 6×6 and differ (the "A⊗B = B⊗A" of
    the book's Lemma 1.2 is a misprint), and each equals np.kron in its own order."""
    g = rng(12)
    A, B = g.normal(size=(2, 3)), g.normal(size=(3, 2))
    AB, BA = _kron(ctx, A, B), _kron(ctx, B, A)
    expect(not np.allclose(AB, BA, rtol=1e-6, atol=0),
           "kron(A, B) and kron(B, A) should differ for generic A (2×3) and B (3×2): the Kronecker product "
           "does not commute (Lemma 1.2's A⊗B = B⊗A is a misprint)")
    assert_close(AB, ctx.ref.kron(A, B), rtol=1e-12, name="kron(A, B)")
    assert_close(BA, ctx.ref.kron(B, A), rtol=1e-12, name="kron(B, A)")
