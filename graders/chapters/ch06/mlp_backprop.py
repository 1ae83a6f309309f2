"""ch06.mlp_backprop — forward pass and backpropagation of an MLP (eqs 6.12–6.13, 6.37–6.40)."""
from __future__ import annotations

from typing import Callable

import numpy as np

from graders.authoring import Anything, Array, Exercise, Record, Tuple, assert_close, assume, expect, rng
from graders.authoring.checks.edges import with_exact_zeros
from graders.authoring.checks.gradcheck import central_difference
from graders.authoring.oracles import oracle
from graders.chapters.ch06._nets import Net, nets, pre_activations

exercise = Exercise(module="ch06.mlp", functions=("mlp_forward", "mlp_backward", "sigma", "sigma_prime"),
                    forbidden=("scipy", "sympy"), title="MLP forward pass and backpropagation")

# Book ex 6.4: W1 = W2 = [[1, −1], [0, 1]], b1 = b2 = [1, 0], x = [1, −1], y = [1, 0], η = 1.
_W = np.array([[1.0, -1.0], [0.0, 1.0]])
_B = np.array([1.0, 0.0])
_X = np.array([[1.0], [-1.0]])
_Y = np.array([[1.0], [0.0]])


# ----------------------------------------------------------------------------- helpers
def _forward(ctx, params, X, act="relu", last_linear=False) -> tuple[dict, np.ndarray]:
    """The student's cache (a dict whose 'o' lists the L + 1 layer outputs) and its output o^(L)."""
    output = Array((params[-1][0].shape[0], X.shape[1]), label="cache['o'][-1] (the network output)")
    cache = ctx.call("mlp_forward", params, X, act=act, last_linear=last_linear,
                     returns=Record(o=Tuple(*[Anything()] * len(params), output)))
    return cache, cache["o"][-1]


def _gradients(ctx, params, X, Y, act="relu", last_linear=False) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The student's (dW, db) pairs for ``params``, each of its parameter's shape."""
    cache, _ = _forward(ctx, params, X, act, last_linear)
    return ctx.call("mlp_backward", params, cache, Y, returns=Tuple(*[
        Tuple(Array(W.shape, label=f"dW of layer {l}"), Array(b.shape, label=f"db of layer {l}"))
        for l, (W, b) in enumerate(params, start=1)]))


_SIGMA: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda g: np.maximum(g, 0.0), "sigmoid": lambda g: 0.5 * (1.0 + np.tanh(0.5 * g)), "tanh": np.tanh}


def _loss(ref, params, X, Y, act="relu", last_linear=False) -> float:
    """The cost c = Σ_n ½‖y_n − o_n‖² of the network (eqs 6.12–6.13), computed directly: the
    finite-difference checks evaluate it thousands of times, so it skips the reference's input
    validation (``test_fast_loss_is_the_reference_cost`` pins it to the reference)."""
    o = X
    for l, (W, b) in enumerate(params, start=1):
        g = W @ o + b[:, None]
        o = g if (last_linear and l == len(params)) else _SIGMA[act](g)
    return 0.5 * float(np.sum((Y - o) ** 2))


def _torch_gradients(net: Net) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent oracle: autograd through the same network in float64."""
    import torch  # imported on first use (see graders.chapters: a chapter's spec loads without it)

    X, Y = (torch.from_numpy(a) for a in net.data())
    params = [(torch.from_numpy(W).requires_grad_(), torch.from_numpy(b).requires_grad_()) for W, b in net.params()]
    act = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[net.act]
    o = X
    for l, (W, b) in enumerate(params, start=1):
        g = W @ o + b[:, None]
        o = g if (net.last_linear and l == len(params)) else act(g)
    (0.5 * ((Y - o) ** 2).sum()).backward()
    return [(W.grad.numpy(), b.grad.numpy()) for W, b in params]  # type: ignore[union-attr]  # backward() set them


def _compare_all(got, want, rtol, what):
    for l, ((dW, db), (eW, eb)) in enumerate(zip(got, want), start=1):
        assert_close(dW, eW, rtol=rtol, name=f"dW of layer {l} ({what})")
        assert_close(db, eb, rtol=rtol, name=f"db of layer {l} ({what})")


def _away_from_kinks(net: Net) -> None:
    if net.act == "relu":
        X, _ = net.data()
        assume(min(float(np.min(np.abs(g))) for g in pre_activations(net.params(), X)) > 1e-4)


def _at_the_kink(net: Net) -> list[tuple[np.ndarray, np.ndarray]]:
    """The parameters of ``net`` with one unit of the first and of the last layer at the ReLU
    kink on every sample: its bias exactly 0 (:func:`with_exact_zeros`) and its row of W zero."""
    g = rng(net.seed + 2)
    params = net.params()
    out = []
    for l, (W, b) in enumerate(params):
        if l in (0, len(params) - 1):
            b = with_exact_zeros(b, g)                                  # (d_l,)
            W = np.where((b == 0.0)[:, None], 0.0, W)                   # (d_l, d_{l−1})
        out.append((W, b))
    return out


@oracle
def _finite_difference_gradients(net: Net) -> list[tuple[np.ndarray, np.ndarray]]:
    """Central differences (h = 1e-6) of the cost of ``net`` in every W and b, layer by layer."""
    params = net.params()
    X, Y = net.data()
    grads = []
    for l, (W, b) in enumerate(params):
        def loss_of_W(W_new, l=l):
            trial = list(params)
            trial[l] = (W_new, params[l][1])
            return _loss(None, trial, X, Y, net.act, net.last_linear)

        def loss_of_b(b_new, l=l):
            trial = list(params)
            trial[l] = (params[l][0], b_new)
            return _loss(None, trial, X, Y, net.act, net.last_linear)

        grads.append((central_difference(loss_of_W, W), central_difference(loss_of_b, b)))
    return grads


# ----------------------------------------------------------------------------- checks
@exercise.check(points=2)
def book_ex_6_4(ctx):
    """Book ex 6.4: loss 4.5, o = [4, 0] and the printed gradients; after one step (η = 1) the
    ReLUs are dead: loss 0.5 and zero gradients."""
    params = [(_W, _B), (_W, _B)]
    _, out = _forward(ctx, params, _X)
    assert_close(out, np.array([[4.0], [0.0]]), rtol=1e-12, name="the output o^(2) of iteration 1")
    assert_close(0.5 * np.sum((_Y - out) ** 2), 4.5, rtol=1e-12, name="the loss of iteration 1")
    grads = _gradients(ctx, params, _X, _Y)
    book = [(np.array([[3.0, -3.0], [0.0, 0.0]]), np.array([3.0, 0.0])),
            (np.array([[9.0, 0.0], [0.0, 0.0]]), np.array([3.0, 0.0]))]
    _compare_all(grads, book, 1e-12, "iteration 1 of book ex 6.4")
    stepped = [(W - dW, b - db) for (W, b), (dW, db) in zip(params, book)]
    _, out2 = _forward(ctx, stepped, _X)
    assert_close(0.5 * np.sum((_Y - out2) ** 2), 0.5, rtol=1e-12, name="the loss of iteration 2")
    grads2 = _gradients(ctx, stepped, _X, _Y)
    _compare_all(grads2, [(np.zeros((2, 2)), np.zeros(2))] * 2, 1e-12, "iteration 2: every ReLU is off")


@exercise.check(points=1, given={"net": nets(acts=("relu", "sigmoid", "tanh"))}, max_examples=15)
def forward_output(ctx, net):
    """The network output o^(L) equals the reference's (1e-10), σ applied at the output too."""
    params, (X, _) = net.params(), net.data()
    _, out = _forward(ctx, params, X, net.act)
    assert_close(out, ctx.ref.mlp_forward(params, X, net.act)["o"][-1], rtol=1e-10, name="the network output o^(L)")


@exercise.check(points=1)
def gradient_shapes(ctx):
    """A 5 → 7 → 3 → 4 network with N = 6: every dW has the shape of its W, every db of its b,
    and their values are the reference's (relative 1e-10)."""
    net = Net(dims=(5, 7, 3, 4), n=6, seed=6)
    params, (X, Y) = net.params(), net.data()
    got = _gradients(ctx, params, X, Y)
    _compare_all(got, ctx.ref.mlp_backward(params, ctx.ref.mlp_forward(params, X), Y), 1e-10,
                 "a 5 → 7 → 3 → 4 network, vs the reference")


@exercise.check(points=1)
def relu_kink_derivative_is_zero(ctx):
    """ReLU′(0) = 0, as the docstring pins: sigma_prime(g, 'relu') is 0 where g is exactly 0, and
    mlp_backward equals the reference (relative 1e-10) on a 5 → 7 → 3 → 4 network in which one
    unit of the first and one of the last layer have the pre-activation exactly 0 on every sample
    (a zero row of W and a zero bias) while the error δ reaching them is not 0."""
    g0 = with_exact_zeros(rng(71).normal(size=(3, 4)), rng(72), count=3)      # (3, 4)
    assert_close(ctx.call("sigma_prime", g0, "relu", returns=Array(g0.shape)), ctx.ref.sigma_prime(g0, "relu"),
                 rtol=0, name="sigma_prime(g, 'relu') where g has exact zeros (ReLU′(0) = 0)")
    net = Net(dims=(5, 7, 3, 4), n=6, seed=8)
    params, (X, Y) = _at_the_kink(net), net.data()
    got = _gradients(ctx, params, X, Y)
    _compare_all(got, ctx.ref.mlp_backward(params, ctx.ref.mlp_forward(params, X), Y), 1e-10,
                 "units with pre-activation exactly 0, where ReLU′(0) = 0")


@exercise.check(points=2, given={"net": nets(layers=(1, 3))}, max_examples=12)
def gradients_match_finite_differences(ctx, net):
    """Every gradient of a ReLU network equals central differences of the cost (h = 1e-6,
    relative 1e-6), with inputs kept at least 1e-4 away from the ReLU kinks."""
    _away_from_kinks(net)
    got = _gradients(ctx, net.params(), *net.data())
    _compare_all(got, _finite_difference_gradients(net), 1e-6, "vs central differences")


@exercise.check(points=1, given={"net": nets(layers=(1, 3), acts=("sigmoid", "tanh"))}, max_examples=10)
def smooth_activations_match_finite_differences(ctx, net):
    """Ex 6.6: sigmoid and tanh networks pass the same finite-difference check (σ′ at g, not o)."""
    got = _gradients(ctx, net.params(), *net.data(), act=net.act)
    _compare_all(got, _finite_difference_gradients(net), 1e-6, f"{net.act} network vs central differences")


@exercise.check(points=2, visibility="hidden",
                given={"net": nets(layers=(1, 3), acts=("relu", "sigmoid", "tanh"), last_linear=(False, True))},
                max_examples=15)
def gradients_match_torch_autograd(ctx, net):
    """Every gradient equals torch autograd on the same network in float64 (relative 1e-10)."""
    _away_from_kinks(net)
    got = _gradients(ctx, net.params(), *net.data(), act=net.act, last_linear=net.last_linear)
    _compare_all(got, _torch_gradients(net), 1e-10, "vs torch autograd")


@exercise.check(points=1, visibility="hidden")
def linear_output_layer(ctx):
    """With last_linear=True the output is g^(L) (no σ, no Λ^(L) in δ^(L))."""
    net = Net(dims=(4, 6, 3), n=5, seed=11, last_linear=True)
    params, (X, Y) = net.params(), net.data()
    _, out = _forward(ctx, params, X, last_linear=True)
    assert_close(out, ctx.ref.mlp_forward(params, X, "relu", True)["o"][-1], rtol=1e-10, name="the linear output o^(L)")
    got = _gradients(ctx, params, X, Y, last_linear=True)
    _compare_all(got, ctx.ref.mlp_backward(params, ctx.ref.mlp_forward(params, X, "relu", True), Y), 1e-10,
                 "linear output layer")


@exercise.check(points=1)
def gradient_step_lowers_loss(ctx):
    """One gradient-descent step with η = 1e-3 lowers the cost of a random 5 → 7 → 3 → 4 network
    (the cost Σ_n ½‖y_n − o_n‖² of your forward pass, which must be right before the step, 1e-10)."""
    net = Net(dims=(5, 7, 3, 4), n=6, seed=3)
    params, (X, Y) = net.params(), net.data()
    grads = _gradients(ctx, params, X, Y)
    _, out = _forward(ctx, params, X)
    assert_close(out, ctx.ref.mlp_forward(params, X)["o"][-1], rtol=1e-10, name="the network output before the step")
    _, stepped = _forward(ctx, [(W - 1e-3 * dW, b - 1e-3 * db) for (W, b), (dW, db) in zip(params, grads)], X)
    before, after = 0.5 * float(np.sum((Y - out) ** 2)), 0.5 * float(np.sum((Y - stepped) ** 2))
    expect(after < before, f"a step of −1e-3 × your gradient should lower the cost {before:.6g}; it gave {after:.6g}")
