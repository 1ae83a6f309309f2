"""ch10.conv_framelets — the wrap-around Hankel matrix (10.16), zero-padded circular convolution
(10.14) and the flip, and the framelet encoder C = ΦᵀH_r(f)Ψ (10.21) with its decoder
(1/r)Σ_j(Φ̃c_j)⊛ψ̃_j (10.24): graded against the reference and against FFT oracles (H(x)ψ = x⊛ψ̄,
Lemma 10.1, c_ij = ⟨f, φ_i⊛ψ_j⟩), with r ≠ N everywhere, by perfect reconstruction for orthogonal Ψ
(Φ = I and Haar), its failure for a rank-deficient Ψ, and the rank of the Hankel matrix of a sum of
k exponentials."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, assert_close, assume, expect, rng, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch10.framelet",
                    functions=("hankel", "circ_conv", "flip", "framelet_encode", "framelet_decode"),
                    forbidden=("sympy",), title="Deep convolutional framelets")


@oracle
def _fft_conv(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """u ⊛ v⁰ (v zero-padded to the length of u) by the DFT: the convolution theorem."""
    N = u.shape[0]
    return np.fft.irfft(np.fft.rfft(u) * np.fft.rfft(v, N), N)


@oracle
def _fft_corr(x: np.ndarray, psi: np.ndarray) -> np.ndarray:
    """x ⊛ ψ̄ (the circular cross-correlation Σ_k x[(n+k) mod N] ψ[k]) by the DFT."""
    N = x.shape[0]
    return np.fft.irfft(np.fft.rfft(x) * np.conj(np.fft.rfft(psi, N)), N)


@oracle
def _haar_columns(N: int) -> np.ndarray:
    """The orthonormal Haar basis of length N (a power of two), one basis vector per column."""
    H = np.ones((1, 1))
    while H.shape[0] < N:
        n = H.shape[0]
        H = np.vstack([np.kron(H, [1.0, 1.0]), np.kron(np.eye(n), [1.0, -1.0])]) / np.sqrt(2)
    return H.T


def _orthogonal(r: np.random.Generator, n: int) -> np.ndarray:
    """A random orthogonal n × n matrix (QR of a Gaussian one)."""
    Q, _ = np.linalg.qr(r.normal(size=(n, n)))
    return Q


# ---- the Hankel matrix, circular convolution and the flip ---------------------------------------

@exercise.check(points=2, given={"r": st.integers(1, 6), "extra": st.integers(1, 12), "seed": seeds()},
                max_examples=25)
def hankel_wraps_mod_n(ctx, r, extra, seed):
    """hankel(x, r) is the N × r matrix H[i, k] = x[(i + k) mod N] (eq 10.16): row i is the window
    x[i], ..., x[i + r − 1] read circularly (a Hankel matrix, constant along antidiagonals; not the
    Toeplitz x[i − k], and the last rows wrap around to x[0] instead of stopping or padding with 0)."""
    N = r + extra
    x = rng(seed).normal(size=N)
    got = ctx.call("hankel", x, r, returns=Array((N, r)))
    assert_close(got, ctx.ref.hankel(x, r), rtol=1e-12, name=f"hankel(x, {r}) with N = {N}")


@exercise.check(points=2, given={"N": st.integers(1, 16), "L": st.integers(1, 16), "seed": seeds()},
                max_examples=30)
def circ_conv_wraps_around(ctx, N, L, seed):
    """circ_conv(u, v) is the circular convolution (u ⊛ v)[n] = Σ_k u[(n − k) mod N] v⁰[k] of eq 10.14,
    with v zero-padded to the length N of u (1 ≤ len(v) ≤ N): a vector of length N in which what
    a linear convolution would push past the end wraps around to the start."""
    assume(L <= N)
    r = rng(seed)
    u, v = r.normal(size=N), r.normal(size=L)
    got = ctx.call("circ_conv", u, v, returns=Array((N,)))
    assert_close(got, ctx.ref.circ_conv(u, v), rtol=1e-12, name=f"circ_conv(u, v) with N = {N}, len(v) = {L}")


@exercise.check(points=1, given={"N": st.integers(1, 16), "L": st.integers(1, 16), "seed": seeds()},
                max_examples=25)
def flip_is_mod_n(ctx, N, L, seed):
    """flip(v, N) is v̄[n] = v⁰[(−n) mod N] with v zero-padded to v⁰ of length N: v[0] stays at index 0
    and v[1], v[2], ... run backwards from the end (not v reversed, nor v⁰ reversed)."""
    assume(L <= N)
    v = rng(seed).normal(size=L)
    got = ctx.call("flip", v, N, returns=Array((N,)))
    assert_close(got, ctx.ref.flip(v, N), rtol=1e-12, name=f"flip(v, {N}) with len(v) = {L}")


@exercise.check(points=2, given={"r": st.integers(1, 6), "extra": st.integers(1, 12), "seed": seeds()},
                max_examples=20)
def hankel_product_is_a_convolution_with_the_flip(ctx, r, extra, seed):
    """hankel(x, r) @ ψ = x ⊛ ψ̄ (1e-12): both your hankel(x, r) @ psi and your
    circ_conv(x, flip(psi, N)) equal the circular correlation Σ_k x[(n + k) mod N] ψ[k], computed
    by the FFT."""
    N = r + extra
    g = rng(seed)
    x, psi = g.normal(size=N), g.normal(size=r)
    want = _fft_corr(x, psi)
    H = ctx.call("hankel", x, r, returns=Array((N, r)))
    assert_close(H @ psi, want, rtol=1e-12, name=f"hankel(x, {r}) @ psi (vs x ⊛ ψ̄ by the FFT), N = {N}")
    psi_bar = ctx.call("flip", psi, N, returns=Array((N,)))
    conv = ctx.call("circ_conv", x, psi_bar, returns=Array((N,)))
    assert_close(conv, want, rtol=1e-12, name=f"circ_conv(x, flip(psi, {N})) (vs x ⊛ ψ̄ by the FFT)")


@exercise.check(points=2, given={"r": st.integers(1, 6), "extra": st.integers(1, 12), "seed": seeds()},
                max_examples=20)
def lemma_10_1(ctx, r, extra, seed):
    """Lemma 10.1: uᵀ H_r(f) v = ⟨f, u ⊛ v⟩ for u of length N and v of length r, with the two sides
    computed from your hankel and your circ_conv, each against ⟨f, u ⊛ v⟩ by the FFT (1e-12)."""
    N = r + extra
    g = rng(seed)
    f, u, v = g.normal(size=N), g.normal(size=N), g.normal(size=r)
    want = float(f @ _fft_conv(u, v))
    scale = float(np.linalg.norm(f) * np.linalg.norm(u) * np.linalg.norm(v))
    H = ctx.call("hankel", f, r, returns=Array((N, r)))
    assert_close(float(u @ H @ v), want, rtol=1e-12, atol=1e-12 * scale, name=f"uᵀ hankel(f, {r}) v, N = {N}")
    conv = ctx.call("circ_conv", u, v, returns=Array((N,)))
    assert_close(float(f @ conv), want, rtol=1e-12, atol=1e-12 * scale, name=f"⟨f, circ_conv(u, v)⟩, N = {N}")


# ---- the encoder and the decoder -----------------------------------------------------------------

@exercise.check(points=2, given={"r": st.integers(1, 6), "extra": st.integers(1, 10), "seed": seeds()},
                max_examples=20)
def encode_is_phi_t_h_psi(ctx, r, extra, seed):
    """framelet_encode(f, Phi, Psi) is C = Φᵀ H_r(f) Ψ (eq 10.21), r = Psi.shape[0], for general
    (not orthogonal, not symmetric) Φ of shape (N, N) and Ψ of shape (r, r)."""
    N = r + extra
    g = rng(seed)
    f, Phi, Psi = g.normal(size=N), g.normal(size=(N, N)), g.normal(size=(r, r))
    got = ctx.call("framelet_encode", f, Phi, Psi, returns=Array((N, r)))
    assert_close(got, ctx.ref.framelet_encode(f, Phi, Psi), rtol=1e-12,
                 name=f"framelet_encode(f, Phi, Psi) with N = {N}, r = {r}")


@exercise.check(points=1, given={"r": st.integers(1, 5), "extra": st.integers(1, 8), "seed": seeds()},
                max_examples=10)
def coefficients_are_inner_products(ctx, r, extra, seed):
    """Each framelet coefficient is an inner product with a convolved basis vector (eq 10.22):
    c_ij = ⟨f, φ_i ⊛ ψ_j⟩, φ_i column i of Φ and ψ_j column j of Ψ (the right side by the FFT)."""
    N = r + extra
    g = rng(seed)
    f, Phi, Psi = g.normal(size=N), g.normal(size=(N, N)), g.normal(size=(r, r))
    want = np.array([[f @ _fft_conv(Phi[:, i], Psi[:, j]) for j in range(r)] for i in range(N)])
    got = ctx.call("framelet_encode", f, Phi, Psi, returns=Array((N, r)))
    assert_close(got, want, rtol=1e-12, name=f"framelet_encode(f, Phi, Psi) vs ⟨f, φ_i ⊛ ψ_j⟩, N = {N}, r = {r}")


@exercise.check(points=2, given={"r": st.integers(1, 6), "extra": st.integers(1, 10), "seed": seeds()},
                max_examples=20)
def decode_matches(ctx, r, extra, seed):
    """framelet_decode(C, Phi_t, Psi_t) is (1/r) Σ_j (Φ̃ c_j) ⊛ ψ̃_j (eq 10.24) for any C (N, r), Φ̃ and
    Ψ̃ (not only the coefficients of a signal): the decoder applies the formula, 1/r included; it
    does not invert the encoder."""
    N = r + extra
    g = rng(seed)
    C, Phi_t, Psi_t = g.normal(size=(N, r)), g.normal(size=(N, N)), g.normal(size=(r, r))
    got = ctx.call("framelet_decode", C, Phi_t, Psi_t, returns=Array((N,)))
    assert_close(got, ctx.ref.framelet_decode(C, Phi_t, Psi_t), rtol=1e-12,
                 name=f"framelet_decode(C, Phi_t, Psi_t) with N = {N}, r = {r}")


@exercise.check(points=2, given={"r": st.integers(1, 7), "log_n": st.integers(3, 5), "seed": seeds()},
                max_examples=16)
def perfect_reconstruction(ctx, r, log_n, seed):
    """framelet_decode(framelet_encode(f, Φ, Ψ), Φ, Ψ) = f (1e-12) for a random orthogonal Ψ (r × r),
    with Φ = I and with Φ the orthonormal Haar basis (N = 8, 16, 32): the 1/r undoes the r copies
    of every sample in the Hankel matrix."""
    N = 2 ** log_n
    g = rng(seed)
    f, Psi = g.normal(size=N), _orthogonal(g, r)
    for label, Phi in (("I", np.eye(N)), ("Haar", _haar_columns(N))):
        C = ctx.call("framelet_encode", f, Phi, Psi, returns=Array((N, r)))
        back = ctx.call("framelet_decode", C, Phi, Psi, returns=Array((N,)))
        assert_close(back, f, rtol=1e-12,
                     name=f"framelet_decode(framelet_encode(f, Phi, Psi), Phi, Psi) with Φ = {label}, N = {N}, r = {r}")


@exercise.check(points=1, given={"r": st.integers(2, 7), "log_n": st.integers(3, 5), "seed": seeds()},
                max_examples=10, depends_on="perfect_reconstruction")
def rank_deficient_psi_loses_the_signal(ctx, r, log_n, seed):
    """With a rank-deficient Ψ (an orthogonal matrix with one column zeroed) encoding then decoding
    does not give f back (relative error > 1e-2, as the formula of eq 10.24 says; a decoder that
    solves for f instead of applying the formula would recover it)."""
    N = 2 ** log_n
    g = rng(seed)
    f, Psi = g.normal(size=N), _orthogonal(g, r)
    Psi[:, g.integers(r)] = 0.0
    Phi = np.eye(N)
    C = ctx.call("framelet_encode", f, Phi, Psi, returns=Array((N, r)))
    back = ctx.call("framelet_decode", C, Phi, Psi, returns=Array((N,)))
    want = ctx.ref.framelet_decode(ctx.ref.framelet_encode(f, Phi, Psi), Phi, Psi)
    assert_close(back, want, rtol=1e-12, name=f"decode(encode(f)) with a rank-{r - 1} Ψ (r = {r}), N = {N}")
    error = float(np.linalg.norm(back - f) / np.linalg.norm(f))
    expect(error > 1e-2, f"with a rank-{r - 1} Ψ, decode(encode(f)) should lose part of f "
                         f"(relative error > 1e-2); got {error:.3g}")


@exercise.check(points=1, given={"k": st.integers(2, 8), "N": st.integers(24, 40), "seed": seeds()},
                max_examples=12)
def exponentials_give_rank_k(ctx, k, N, seed):
    """The Hankel matrix of a sum of k periodic exponentials e^{2πi m n/N} has rank k: for a real f
    (a constant for odd k, plus cosines, each two exponentials, at distinct frequencies), the
    singular values of hankel(f, r) with r = 10 > k vanish beyond the k-th."""
    r = 10
    g = rng(seed)
    freqs = g.choice(np.arange(1, (N - 1) // 2 + 1), size=k // 2, replace=False)
    n = np.arange(N)
    f = sum(g.uniform(0.5, 2.0) * np.cos(2 * np.pi * m * n / N + g.uniform(0, 2 * np.pi)) for m in freqs)
    f = f + (g.uniform(0.5, 2.0) if k % 2 else 0.0) * np.ones(N)
    H = ctx.call("hankel", f, r, returns=Array((N, r)))
    s = np.linalg.svd(H, compute_uv=False)
    expect(np.isfinite(s).all(), f"hankel(f, {r}) holds NaN or infinite values")
    rank = int(np.sum(s > 1e-9 * s[0])) if s[0] > 0 else 0
    expect(rank == k, f"hankel(f, {r}) of a sum of {k} exponentials (N = {N}) should have rank {k}; "
                      f"its singular values give rank {rank}")
