"""ch09.transformer_inputs — sinusoidal positional encodings with the Vaswani indexing i = 0..d/2 − 1
(eq 9.49, pinned: errata §15 item 7), and the ViT patch embedding, graded against
``torch.nn.functional.unfold`` (patch order) and ``nn.Conv2d(C, D, P, stride=P)`` (embedding), in
float64 with non-square images and batch > 1."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Tensor, assert_close, distinct_dims, expect, oracle, rng, seeds

exercise = Exercise(module="ch09.embed", functions=("sinusoidal_pe", "patchify", "vit_embed"),
                    title="Transformer inputs: positional encodings and patch embeddings")


def _even_d() -> st.SearchStrategy[int]:
    return st.integers(1, 16).map(lambda half: 2 * half)


# ---- sinusoidal positional encodings (eq 9.49, Vaswani indexing) -------------------------------------

@oracle
def _pe_formula(n_pos: int, d: int) -> np.ndarray:
    """PE[n, 2i] = sin(n/10000^{2i/d}), PE[n, 2i + 1] = cos(n/10000^{2i/d}), n from 0, i = 0..d/2 − 1."""
    angles = np.arange(n_pos)[:, None] / 10000.0 ** (2 * np.arange(d // 2) / d)
    pe = np.empty((n_pos, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


@oracle
def _shift_rotation(k: int, d: int) -> np.ndarray:
    """R_k with PE[n + k] = R_k PE[n]: one 2×2 rotation [[cos kω_i, sin kω_i], [−sin kω_i, cos kω_i]]
    per (sin, cos) pair, ω_i = 10000^{−2i/d}."""
    R = np.zeros((d, d))
    for i in range(d // 2):
        c, s = np.cos(k * 10000.0 ** (-2 * i / d)), np.sin(k * 10000.0 ** (-2 * i / d))
        R[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, s], [-s, c]]
    return R


@exercise.check(points=3, given={"n_pos": st.integers(1, 40), "d": _even_d()}, max_examples=15)
def pe_matches_formula(ctx, n_pos, d):
    """sinusoidal_pe(n_pos, d) is a float64 tensor with PE[n, 2i] = sin(n/10000^{2i/d}) and
    PE[n, 2i + 1] = cos(n/10000^{2i/d}): positions from n = 0, pairs from i = 0 (eq 9.49 with the
    pinned Vaswani indexing; the book's k = 1..d/2 is off by one), sines and cosines interleaved
    (1e-12)."""
    got = ctx.call("sinusoidal_pe", n_pos, d, returns=Tensor((n_pos, d)))
    assert_close(got, _pe_formula(n_pos, d), rtol=1e-12, name=f"sinusoidal_pe({n_pos}, {d})")


# Book ex 9.5 (d = 10, positions 1..10) with i = 0..4: rows n = 1, 2 and 10, to 15 digits (mpmath).
_EX_9_5_ROWS = {
    1: [0.841470984807897, 0.54030230586814, 0.157826640130306, 0.987466835729271, 0.0251162229097738,
        0.99968453791521, 0.00398106118958756, 0.999992075544504, 0.00063095730261542, 0.999999800946421],
    2: [0.909297426825682, -0.416146836547142, 0.311697145846511, 0.950181503330358, 0.0502165993874652,
        0.998738350693493, 0.00796205928369068, 0.99996830230361, 0.00126191435404222, 0.999999203785765],
    10: [-0.54402111088937, -0.839071529076452, 0.999900640834612, -0.0140963987788551, 0.248555475322159,
         0.968617662283409, 0.0398002019329103, 0.999207658060175, 0.00630953158011141, 0.999980094707509],
}


@exercise.check(points=2)
def pe_book_ex_9_5(ctx):
    """Book ex 9.5 (d = 10, positions n = 1..10) under the pinned indexing: rows 1..10 of
    sinusoidal_pe(11, 10) match the formula (1e-12), and rows 1, 2 and 10 the pinned values (e.g.
    PE[1, 0:2] = (sin 1, cos 1) = (0.841471, 0.540302); the book's k = 1 would start at
    sin(10000^{−1/5}) = 0.157827)."""
    got = ctx.call("sinusoidal_pe", 11, 10, returns=Tensor((11, 10)))
    assert_close(got[1:], _pe_formula(11, 10)[1:], rtol=1e-12, name="rows 1..10 of sinusoidal_pe(11, 10)")
    for n, want in _EX_9_5_ROWS.items():
        assert_close(got[n], np.array(want), rtol=0, atol=1e-14, name=f"row {n} of sinusoidal_pe(11, 10) (ex 9.5)")


@exercise.check(points=1, given={"n_pos": st.integers(2, 30), "d": _even_d()}, max_examples=10)
def pe_pairs_have_unit_norm(ctx, n_pos, d):
    """Every (sin, cos) pair of columns (2i, 2i + 1) of sinusoidal_pe is a point of the unit circle:
    PE[n, 2i]² + PE[n, 2i + 1]² = 1 (1e-12)."""
    got = ctx.call("sinusoidal_pe", n_pos, d, returns=Tensor((n_pos, d)))
    assert_close(got[:, 0::2] ** 2 + got[:, 1::2] ** 2, np.ones((n_pos, d // 2)), rtol=1e-12,
                 name=f"PE[n, 2i]² + PE[n, 2i + 1]² of sinusoidal_pe({n_pos}, {d})")


@exercise.check(points=2, given={"d": _even_d(), "k": st.integers(1, 8)}, max_examples=10,
                depends_on="pe_pairs_have_unit_norm")
def pe_shift_is_a_block_rotation(ctx, d, k):
    """Moving k positions rotates each (sin, cos) pair by k ω_i, ω_i = 10000^{−2i/d}:
    PE[n + k] = R_k PE[n] for every n, R_k block-diagonal with 2×2 rotations (1e-10); counts once
    pe_pairs_have_unit_norm passes (zeros rotate into zeros)."""
    got = ctx.call("sinusoidal_pe", 24, d, returns=Tensor((24, d)))
    assert_close(got[k:], got[:-k] @ _shift_rotation(k, d).T, rtol=1e-10,
                 name=f"PE[n + {k}] of sinusoidal_pe(24, {d}) against R_{k} PE[n]")


@exercise.check(points=1, depends_on="pe_matches_formula")
def pe_odd_d_raises(ctx):
    """sinusoidal_pe(n_pos, d) raises ValueError for an odd d (the columns are sin/cos pairs);
    counts once pe_matches_formula passes."""
    for n_pos, d in ((8, 7), (3, 1)):
        outcome = ctx.outcome("sinusoidal_pe", n_pos, d)
        expect(outcome.status == "student_error" and outcome.error is not None and outcome.error.type == "ValueError",
               f"sinusoidal_pe({n_pos}, {d}) should raise ValueError (d is odd); "
               + ("it returned a value" if outcome.status == "ok" else
                  f"it raised {outcome.error.one_line() if outcome.error else outcome.status}"))


# ---- patches (torch.nn.functional.unfold) and the patch embedding (nn.Conv2d) ------------------------

def _image(seed: int, B: int, C: int, H: int, W: int) -> np.ndarray:
    return rng(seed).normal(size=(B, C, H, W))


def _patch_case(dims: tuple[int, int], seed: int) -> tuple[np.ndarray, int]:
    """A batch of non-square images (H = h·P ≠ W = w·P) with B, C and P drawn from the seed."""
    h, w = dims
    g = rng(seed)
    B, C, P = int(g.integers(2, 4)), int(g.integers(1, 4)), int(g.integers(1, 4))
    return g.normal(size=(B, C, h * P, w * P)), P


@oracle
def _unfold(img: np.ndarray, P: int) -> np.ndarray:
    """``F.unfold(img, P, stride=P).transpose(1, 2)``: (B, N, C·P·P)."""
    import torch
    import torch.nn.functional as F

    return F.unfold(torch.from_numpy(img), P, stride=P).transpose(1, 2).numpy().copy()


@oracle
def _conv_embed(img: np.ndarray, W_E: np.ndarray, cls: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """[cls; Conv2d(C, D, P, stride=P, bias=False) tokens] + pos, the conv weight W_Eᵀ reshaped to (D, C, P, P)."""
    import torch

    B, C = img.shape[:2]
    D = W_E.shape[1]
    P = int(round(np.sqrt(W_E.shape[0] // C)))
    conv = torch.nn.Conv2d(C, D, P, stride=P, bias=False).to(torch.float64)
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(W_E.T.reshape(D, C, P, P)))
        tokens = conv(torch.from_numpy(img)).flatten(2).transpose(1, 2)                 # (B, N, D)
        cls_tokens = torch.from_numpy(cls).expand(B, 1, D)
        return (torch.cat([cls_tokens, tokens], dim=1) + torch.from_numpy(pos)).numpy().copy()


@exercise.check(points=3, given={"dims": distinct_dims(2, 1, 4), "seed": seeds()}, max_examples=15)
def patchify_equals_unfold(ctx, dims, seed):
    """patchify(img, P) equals F.unfold(img, P, stride=P).transpose(1, 2) exactly: the patch grid
    in row-major order and each patch flattened as (C, P, P), on non-square images (H ≠ W), batch > 1."""
    img, P = _patch_case(dims, seed)
    B, C, H, W = img.shape
    got = ctx.call("patchify", ctx.tensor(img), P, returns=Tensor((B, H * W // (P * P), C * P * P)))
    assert_close(got, _unfold(img, P), rtol=0, name=f"patchify(img {img.shape}, P={P})")


@exercise.check(points=1)
def patchify_keeps_float32(ctx):
    """patchify of a float32 image is a float32 tensor, equal to F.unfold's patches exactly."""
    img = _image(91, 2, 3, 4, 6).astype(np.float32)
    got = ctx.call("patchify", ctx.tensor(img, dtype="float32"), 2, returns=Tensor((2, 6, 12), "float32"))
    assert_close(got, _unfold(img, 2), rtol=0, name="patchify(img (2, 3, 4, 6) float32, P=2)")


@exercise.check(points=1, depends_on="patchify_equals_unfold")
def patchify_indivisible_raises(ctx):
    """patchify(img, P) raises ValueError when P does not divide H or W (no silent cropping);
    counts once patchify_equals_unfold passes."""
    for shape, P in (((2, 3, 5, 4), 2), ((1, 2, 6, 8), 3), ((1, 1, 7, 6), 3)):
        outcome = ctx.outcome("patchify", ctx.tensor(_image(92, *shape)), P)
        expect(outcome.status == "student_error" and outcome.error is not None and outcome.error.type == "ValueError",
               f"patchify(img {shape}, P={P}) should raise ValueError (P does not divide H = {shape[2]} and "
               f"W = {shape[3]}); " + ("it returned a value" if outcome.status == "ok" else
                                       f"it raised {outcome.error.one_line() if outcome.error else outcome.status}"))


def _vit_case(dims: tuple[int, int], seed: int, dtype: type = np.float64) -> tuple[np.ndarray, ...]:
    """img (B, C, h·P, w·P), W_E (C·P·P, D), cls (D,), pos (N + 1, D) with D ≠ C·P·P."""
    img, P = _patch_case(dims, seed)
    B, C, H, W = img.shape
    g = rng(seed + 1)
    D, N = int(g.integers(2, 7)), (H // P) * (W // P)
    if D == C * P * P:
        D += 1
    arrays = img, g.normal(size=(C * P * P, D)), g.normal(size=D), g.normal(size=(N + 1, D))
    return tuple(x.astype(dtype) for x in arrays)


def _vit_call(ctx, case: tuple[np.ndarray, ...], dtype: str = "float64") -> np.ndarray:
    img, W_E, cls, pos = case
    return ctx.call("vit_embed", *(ctx.tensor(x, dtype=dtype) for x in case),
                    returns=Tensor((img.shape[0], pos.shape[0], W_E.shape[1]), dtype))


@exercise.check(points=3, given={"dims": distinct_dims(2, 1, 4), "seed": seeds()}, max_examples=15)
def vit_embed_matches_conv2d(ctx, dims, seed):
    """vit_embed(img, W_E, cls, pos) equals [cls; Conv2d(C, D, P, stride=P) tokens] + pos, the
    convolution's weight being W_Eᵀ reshaped to (D, C, P, P) (1e-12): [CLS] first, the patches in
    unfold's order, W_E on the right of each flattened patch, pos added to every token."""
    case = _vit_case(dims, seed)
    assert_close(_vit_call(ctx, case), _conv_embed(*case), rtol=1e-12,
                 name=f"vit_embed(img {case[0].shape}, W_E {case[1].shape}, cls, pos {case[3].shape})")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=5)
def vit_embed_cls_first(ctx, seed):
    """Token 0 of every image is the [CLS] token plus its position embedding, cls + pos[0] (1e-12)."""
    case = _vit_case((2, 3), seed)
    got = _vit_call(ctx, case)
    for b in range(got.shape[0]):
        assert_close(got[b, 0], case[2] + case[3][0], rtol=1e-12, name=f"token 0 of image {b} (cls + pos[0])")


@exercise.check(points=1)
def vit_embed_keeps_float32(ctx):
    """vit_embed of float32 inputs is a float32 tensor that matches the float64 patch embedding to
    float32 accuracy (1e-5)."""
    case = _vit_case((3, 2), 93)
    got = _vit_call(ctx, tuple(x.astype(np.float32) for x in case), "float32")
    assert_close(got, _conv_embed(*case), rtol=1e-5, name="vit_embed of float32 inputs")
