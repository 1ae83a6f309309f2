"""ch08.word2vec — skip-gram (eq 8.9, C log-partitions), CBOW (eq 8.8 with the mean 1/C, erratum
of 1/(2c − 1)) and SGNS losses with their gradients in W_in and W_out, against the reference,
torch autograd (cross_entropy(reduction='sum'), logsigmoid) and central differences; the shift
invariance of the skip-gram loss, gradient sparsity, repeated indices and scores of size 1e3."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch08.w2v", functions=("skipgram_loss", "cbow_loss", "sgns_loss"),
                    forbidden=("torch", "scipy", "sympy"), title="word2vec losses")


def _answer(M: int, d: int) -> Tuple:
    """(loss, dW_in (M, d), dW_out (M, d))."""
    return Tuple(Float(label="loss"), Array((M, d), label="dW_in"), Array((M, d), label="dW_out"))


def _problem(M: int, d: int, C: int, seed: int, scale: float = 1.0):
    """W_in, W_out (M, d), a centre word, C context words (with a repeat when C ≥ 2) and (C, 3) negatives."""
    r = rng(seed)
    W_in, W_out = scale * r.normal(size=(M, d)), scale * r.normal(size=(M, d))
    center = int(r.integers(M))
    context = r.integers(0, M, size=C)
    if C >= 2:
        context[-1] = context[0]                         # a repeated context word counts twice
    negatives = r.integers(0, M, size=(C, 3))
    negatives[0, -1] = negatives[0, 0]
    return W_in, W_out, center, context, negatives


def _args(func: str, W_in, W_out, center, context, negatives) -> tuple:
    """The arguments of ``func`` in its own order (CBOW takes the context first)."""
    if func == "skipgram_loss":
        return (W_in, W_out, center, context)
    if func == "cbow_loss":
        return (W_in, W_out, context, center)
    return (W_in, W_out, center, context, negatives)


_FUNCS = ("skipgram_loss", "cbow_loss", "sgns_loss")

#: (M, d, C) pairwise different: M words, d dimensions, C context words.
_dims = {"dims": distinct_dims(3, 2, 8), "seed": seeds()}


def _compare(ctx, func: str, problem, rtol: float = 1e-10, what: str = "") -> None:
    W_in = problem[0]
    M, d = W_in.shape
    args = _args(func, *problem)
    loss, dW_in, dW_out = ctx.call(func, *args, returns=_answer(M, d))
    want_loss, want_in, want_out = getattr(ctx.ref, func)(*args)
    assert_close(loss, want_loss, rtol=rtol, name=f"the loss of {func}{what}")
    assert_close(dW_in, want_in, rtol=rtol, name=f"dW_in of {func}{what}")
    assert_close(dW_out, want_out, rtol=rtol, name=f"dW_out of {func}{what}")


@exercise.check(points=3, given=_dims, max_examples=15)
def skipgram_matches_reference(ctx, dims, seed):
    """skipgram_loss: h = W_in[center], loss = −Σ_j w̃_{t_j}ᵀh + C·log Σ_k exp(w̃_kᵀh) (the
    log-partition counted once per context word), with dW_in (only row center non-zero) and dW_out;
    a repeated context word counts twice (1e-10)."""
    _compare(ctx, "skipgram_loss", _problem(*dims, seed))


@exercise.check(points=3, given=_dims, max_examples=15)
def cbow_matches_reference(ctx, dims, seed):
    """cbow_loss: h = (1/C) Σ_j W_in[t_j] (the mean; the book's 1/(2c − 1) is a typo), loss =
    −w̃_centerᵀh + log Σ_k exp(w̃_kᵀh); dW_in spreads W_outᵀ(p − e_center)/C over the context rows,
    a repeated context word getting its share twice (1e-10)."""
    _compare(ctx, "cbow_loss", _problem(*dims, seed))


@exercise.check(points=3, given=_dims, max_examples=15)
def sgns_matches_reference(ctx, dims, seed):
    """sgns_loss = −Σ_j [log σ(u_{o_j}ᵀh) + Σ_k log σ(−u_{n_jk}ᵀh)] (negatives enter with −uᵀh),
    with dW_in and dW_out; repeated negatives accumulate (1e-10)."""
    _compare(ctx, "sgns_loss", _problem(*dims, seed))


@exercise.check(points=2)
def losses_stable_at_large_scores(ctx):
    """Scores of size 1e3 (embeddings scaled by 30, d = 4) give finite losses and gradients equal
    to the reference's (1e-10): log-sum-exp with the maximum subtracted, log σ without overflow."""
    problem = _problem(7, 4, 3, 5, scale=30.0)
    for func in _FUNCS:
        _compare(ctx, func, problem, what=" at scores ~1e3")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=10, depends_on="skipgram_matches_reference")
def skipgram_invariant_to_shifting_w_out(ctx, seed):
    """Adding one vector v to every row of W_out adds vᵀh to every score, which the softmax
    ignores: skipgram_loss(W_in, W_out + v) equals skipgram_loss(W_in, W_out) (1e-12, relative to
    the loss)."""
    W_in, W_out, center, context, _ = _problem(6, 3, 4, seed)
    v = 2.0 * rng(seed + 1).normal(size=3)
    got, _, _ = ctx.call("skipgram_loss", W_in, W_out + v, center, context, returns=_answer(6, 3))
    assert_close(got, ctx.ref.skipgram_loss(W_in, W_out, center, context)[0], rtol=1e-12,
                 name="skipgram_loss with v added to every row of W_out")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=10, depends_on="sgns_matches_reference")
def gradients_vanish_outside_used_rows(ctx, seed):
    """dW_in is zero outside the rows the loss reads (the centre for skip-gram and SGNS, the context
    for CBOW), and SGNS's dW_out outside the context and negative words; the used rows are not zero."""
    W_in, W_out, center, context, negatives = _problem(9, 3, 2, seed)
    for func, used_in, used_out in (("skipgram_loss", [center], None), ("cbow_loss", context.tolist(), None),
                                    ("sgns_loss", [center], context.tolist() + negatives.ravel().tolist())):
        _, dW_in, dW_out = ctx.call(func, *_args(func, W_in, W_out, center, context, negatives),
                                    returns=_answer(9, 3))
        unused = np.setdiff1d(np.arange(9), used_in)
        expect(np.all(dW_in[unused] == 0) and np.any(dW_in[used_in] != 0),
               f"{func}: dW_in should be non-zero only in the rows {sorted(set(used_in))}; its non-zero rows are "
               f"{np.flatnonzero(np.any(dW_in != 0, axis=1)).tolist()}")
        if used_out is not None:
            unused = np.setdiff1d(np.arange(9), used_out)
            expect(np.all(dW_out[unused] == 0),
                   f"{func}: dW_out should be zero outside the rows {sorted(set(used_out))}; its non-zero rows "
                   f"are {np.flatnonzero(np.any(dW_out != 0, axis=1)).tolist()}")


@oracle
def _torch_w2v(func: str, W_in, W_out, center, context, negatives):
    """(loss, dW_in, dW_out) by torch autograd in float64 on one thread: skip-gram and CBOW as
    cross_entropy(reduction='sum') of the scores, SGNS with logsigmoid."""
    import torch
    import torch.nn.functional as F

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        Wi, Wo = torch.tensor(W_in, requires_grad=True), torch.tensor(W_out, requires_grad=True)
        ctx_idx, neg_idx = torch.as_tensor(context), torch.as_tensor(negatives)
        if func == "cbow_loss":
            h = Wi[ctx_idx].mean(dim=0)
            loss = F.cross_entropy((Wo @ h)[None, :], torch.tensor([center]), reduction="sum")
        else:
            h = Wi[center]
        if func == "skipgram_loss":
            scores = (Wo @ h).expand(len(context), -1)
            loss = F.cross_entropy(scores, ctx_idx, reduction="sum")
        elif func == "sgns_loss":
            loss = -(F.logsigmoid(Wo[ctx_idx] @ h).sum() + F.logsigmoid(-(Wo[neg_idx] @ h)).sum())
        loss.backward()
        assert Wi.grad is not None and Wo.grad is not None
        return loss.item(), Wi.grad.numpy().copy(), Wo.grad.numpy().copy()
    finally:
        torch.set_num_threads(threads)


@exercise.check(points=2, visibility="hidden")
def losses_match_torch_autograd(ctx):
    """All three losses and gradients equal torch autograd's (cross_entropy(reduction='sum'),
    logsigmoid), 1e-10, on three problems, one at scores ~1e2."""
    for k, (dims, scale) in enumerate((((5, 3, 4), 1.0), ((8, 6, 2), 1.0), ((6, 2, 3), 10.0))):
        problem = _problem(*dims, 880 + k, scale=scale)
        M, d = dims[0], dims[1]
        for func in _FUNCS:
            loss, dW_in, dW_out = ctx.call(func, *_args(func, *problem), returns=_answer(M, d))
            want = _torch_w2v(func, *problem)
            assert_close(loss, want[0], rtol=1e-10, name=f"the loss of {func} (vs torch)")
            assert_close(dW_in, want[1], rtol=1e-10, name=f"dW_in of {func} (vs torch autograd)")
            assert_close(dW_out, want[2], rtol=1e-10, name=f"dW_out of {func} (vs torch autograd)")


@exercise.check(points=1, visibility="hidden", given={"func": st.sampled_from(_FUNCS), "seed": seeds()},
                max_examples=6)
def gradients_match_central_differences(ctx, func, seed):
    """dW_in and dW_out equal central differences (h = 1e-6) of the student's own loss (1e-6)."""
    problem = _problem(4, 3, 2, seed)
    W_in, W_out = problem[0], problem[1]
    rest = problem[2:]
    _, dW_in, dW_out = ctx.call(func, *_args(func, W_in, W_out, *rest), returns=_answer(4, 3))
    step, points = 1e-6, []
    for which in (0, 1):
        for i in range(W_in.size):
            for sign in (1.0, -1.0):
                Ws = [W_in.copy(), W_out.copy()]
                Ws[which].flat[i] += sign * step
                points.append(_args(func, Ws[0], Ws[1], *rest))
    losses = np.array([v[0] for v in ctx.map(func, points, returns=_answer(4, 3))])
    numeric = (losses[0::2] - losses[1::2]) / (2 * step)
    n = W_in.size
    assert_close(dW_in.ravel(), numeric[:n], rtol=1e-6, name=f"dW_in of {func} (vs central differences)")
    assert_close(dW_out.ravel(), numeric[n:], rtol=1e-6, name=f"dW_out of {func} (vs central differences)")
