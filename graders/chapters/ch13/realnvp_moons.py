"""ch13.realnvp_moons — coupling layers and flows that live in the worker (``ctx.construct``), made
float64 (``.double()``) and given seeded weights (``.apply`` with a grader function) so that a
zero-initialized last layer cannot hide a missing log-determinant: masked coordinates kept,
inverse∘forward = id, log|det| against the central-difference Jacobian of the student's own
forward, a bounded scale, NICE's zero log-determinant, masks as registered buffers, a density
that integrates to 1 over [−6, 6]², and training on two moons (scikit-learn's ``make_moons``,
generated here and passed in): test NLL ≤ 1.8 nats after 400 CPU steps; on a GPU worker, 1500
steps on CUDA reach ≤ 1.6 with every buffer and parameter on the device. The checks of the
classes count once the untrained flow that train_flow(X, 0, ...) builds is a density: the
degenerate implementations of ``geodl validate`` replace functions, not classes."""
from __future__ import annotations

import math

import numpy as np

from graders.authoring import Anything, Exercise, Tuple, assert_close, expect, rng
from graders.authoring.oracles import oracle
from graders.chapters.ch13._torch import tensor, tensor_value

exercise = Exercise(module="ch13.flow", functions=("AffineCoupling", "AdditiveCoupling", "Flow", "train_flow"),
                    gpu=True, call_timeout_s=15.0, title="RealNVP on two moons")

#: Gives every parameter of a module (``.apply`` visits each submodule) seeded N(0, 0.3²) values.
_SEEDED_WEIGHTS = ("(lambda g: lambda m: [p.data.copy_(0.3 * torch.randn(p.shape, generator=g, dtype=torch.float64)"
                   ".to(p.dtype)) for p in m.parameters(recurse=False)])(torch.Generator().manual_seed({seed}))")


def _layer(ctx, kind: str, mask: list[float], *, seed: int, float64: bool = True, hidden: int = 8):
    """A coupling layer of the student's, kept in the worker: ``kind(mask, hidden)``, cast to float64
    (``.double()``), its parameters replaced by seeded ones."""
    layer = ctx.construct(kind, tensor(np.array(mask), dtype="float32"), hidden)
    if float64:
        layer = ctx.call_handle(layer, method="double")
    return ctx.call_handle(layer, ctx.function(_SEEDED_WEIGHTS.format(seed=seed)), method="apply")


def _forward(ctx, layer, x: np.ndarray, kind: str, dtype: str = "float64") -> tuple[np.ndarray, np.ndarray]:
    """``layer(x)`` as (y (B, d), logdet (B,))."""
    y, logdet = ctx.call_handle(layer, tensor(x, dtype=dtype), returns=Tuple(Anything(), Anything()))
    return (tensor_value(y, name=f"y of {kind}.forward", dtype=dtype, shape=x.shape),
            tensor_value(logdet, name=f"logdet of {kind}.forward", dtype=dtype, shape=(len(x),)))


def _inverse(ctx, layer, y: np.ndarray, kind: str) -> np.ndarray:
    return tensor_value(ctx.call_handle(layer, tensor(y), method="inverse", returns=Anything()),
                        name=f"the result of {kind}.inverse", shape=y.shape)


def _grid(n: int = 400, lim: float = 6.0) -> tuple[np.ndarray, float]:
    """The n² points of a grid on [−lim, lim]² and the area of one cell."""
    g = np.linspace(-lim, lim, n)
    return np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2), (2 * lim / (n - 1)) ** 2


@oracle
def _moons() -> tuple[np.ndarray, np.ndarray]:
    """Two moons (scikit-learn, noise 0.05): 4000 training and 2000 test points, standardized with
    the training mean and standard deviation."""
    from sklearn.datasets import make_moons

    train, _ = make_moons(4000, noise=0.05, random_state=0)
    test, _ = make_moons(2000, noise=0.05, random_state=1)
    mean, std = train.mean(0), train.std(0)
    return (train - mean) / std, (test - mean) / std


_LR = 5e-3


def _log_prob(ctx, flow, points: np.ndarray, device: str, what: str) -> np.ndarray:
    """``flow.log_prob`` of float32 ``points`` on ``device``: a float32 tensor there, finite."""
    got = ctx.call_handle(flow, tensor(points, dtype="float32", device=device), method="log_prob",
                          returns=Anything())
    log_p = tensor_value(got, name=f"Flow.log_prob of {what}", dtype="float32", shape=(len(points),),
                         device=device).astype(np.float64)
    expect(np.all(np.isfinite(log_p)), f"Flow.log_prob of {what} should be finite")
    return log_p


def _fitted(ctx, flow, test: np.ndarray, device: str, threshold: float | None, steps: int) -> None:
    """The flow's test NLL ≤ ``threshold`` (when given) and its density's mass over [−6, 6]²
    within 1 ± 0.02."""
    log_p = _log_prob(ctx, flow, test, device, "the test points")
    nll = -float(np.mean(log_p))
    expect(threshold is None or nll <= threshold,
           f"after train_flow(X, {steps}, {_LR}, {device!r}, 0) the test NLL should be ≤ {threshold} nats (a "
           f"Gaussian gives 2.84); got {nll:.3f}")
    points, cell = _grid()
    mass = float(np.sum(np.exp(_log_prob(ctx, flow, points, device, "the grid"))) * cell)
    expect(abs(mass - 1) <= 0.02, f"the density of train_flow(X, {steps}, ...)'s flow should integrate to 1 ± 0.02 "
                                  f"over [−6, 6]²; got {mass:.4f}")


@exercise.check(points=2)
def untrained_flow_integrates_to_one(ctx):
    """train_flow(X, 0, 5e-3, torch.device('cpu'), 0) returns the untrained Flow (before any step;
    the device given as a torch.device, not its name): its float32 log_prob of test points is finite,
    and exp(log_prob) integrates to 1 ± 0.02 over a 400² grid on [−6, 6]² (a density needs
    log N(z; 0, I)'s −(d/2) log 2π and the log-determinants)."""
    train, test = _moons()
    flow = ctx.call("train_flow", tensor(train, dtype="float32"), 0, _LR, ctx.function("torch.device('cpu')"), 0)
    _fitted(ctx, flow, test, "cpu", None, 0)


_MASKS = ([1.0, 0.0, 1.0], [0.0, 1.0])


@exercise.check(points=3)
def affine_coupling_keeps_masked_coordinates_and_inverts(ctx):
    """AffineCoupling(mask, hidden) in float64 with seeded weights: forward(x) returns (y, logdet) with
    y = x where mask = 1 (exactly), y ≠ x elsewhere, and inverse(forward(x)) = x (1e-10), for
    masks (1, 0, 1) and (0, 1)."""
    for index, mask in enumerate(_MASKS):
        layer = _layer(ctx, "AffineCoupling", mask, seed=10 + index)
        x = 1.5 * rng(20 + index).normal(size=(6, len(mask)))
        y, _ = _forward(ctx, layer, x, "AffineCoupling")
        keep = np.array(mask) == 1
        expect(np.array_equal(y[:, keep], x[:, keep]),
               f"AffineCoupling(mask={mask}) should pass the coordinates where mask = 1 through unchanged "
               f"(y = m ⊙ x + (1 − m) ⊙ (x ⊙ e^s + t)); they changed by {np.abs(y - x)[:, keep].max():.3g}")
        expect(np.abs(y - x)[:, ~keep].max() > 1e-3,
               f"AffineCoupling(mask={mask}) with non-zero weights should change the coordinates where mask = 0")
        assert_close(_inverse(ctx, layer, y, "AffineCoupling"), x, rtol=1e-10,
                     name=f"AffineCoupling(mask={mask}).inverse(forward(x)) − x")


def _fd_logdet(ctx, layer, x: np.ndarray, kind: str, h: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """The layer's logdet at x and log|det| of its central-difference Jacobian, per sample (one
    forward call for x and every x ± h e_j)."""
    B, d = x.shape
    steps = np.concatenate([x] + [x + s * h * np.eye(d)[j] for j in range(d) for s in (1.0, -1.0)])
    y, logdet = _forward(ctx, layer, steps, kind)
    J = np.stack([(y[(1 + 2 * j) * B:(2 + 2 * j) * B] - y[(2 + 2 * j) * B:(3 + 2 * j) * B]) / (2 * h)
                  for j in range(d)], axis=1)                       # (B, d_in, d_out), J[b, j] = ∂y/∂x_j
    return logdet[:B], np.linalg.slogdet(J)[1]


@exercise.check(points=3)
def affine_coupling_logdet_is_the_log_abs_det_jacobian(ctx):
    """AffineCoupling's logdet is log|det ∂y/∂x| = Σ_{i: m_i = 0} s_i per sample, equal to the log|det|
    of the central-difference Jacobian of its own forward (h = 1e-6, float64, seeded weights;
    relative 1e-6), for masks (1, 0, 1) and (0, 1)."""
    for index, mask in enumerate(_MASKS):
        layer = _layer(ctx, "AffineCoupling", mask, seed=30 + index)
        x = rng(40 + index).normal(size=(5, len(mask)))
        got, want = _fd_logdet(ctx, layer, x, "AffineCoupling")
        assert_close(got, want, rtol=1e-6, atol=1e-7, name=f"logdet of AffineCoupling(mask={mask}) "
                                                          "(vs log|det| of the finite-difference Jacobian)")


@exercise.check(points=1, depends_on="affine_coupling_keeps_masked_coordinates_and_inverts")
def affine_scale_is_bounded(ctx):
    """The scale is bounded (s = tanh(·), possibly times a factor): in float32, on inputs of size 1e4,
    forward returns finite y and a non-zero logdet (an unbounded e^s overflows)."""
    layer = _layer(ctx, "AffineCoupling", [1.0, 0.0, 1.0], seed=50, float64=False)
    x = 1e4 * rng(51).normal(size=(8, 3))
    y, logdet = _forward(ctx, layer, x, "AffineCoupling", dtype="float32")
    expect(np.all(np.isfinite(y)) and np.all(np.isfinite(logdet)),
           f"AffineCoupling.forward on inputs of size 1e4 should be finite (bound s with a tanh); y has "
           f"{int(np.sum(~np.isfinite(y)))} and logdet {int(np.sum(~np.isfinite(logdet)))} non-finite entries")
    expect(np.abs(logdet).max() > 0, "AffineCoupling's logdet should not be zero for seeded non-zero weights")


@exercise.check(points=2)
def additive_coupling_is_volume_preserving(ctx):
    """AdditiveCoupling (NICE) in float64 with seeded weights: y = x where mask = 1, y ≠ x elsewhere,
    logdet = 0 for every sample, |det| of its central-difference Jacobian is 1 (1e-6), and
    inverse(forward(x)) = x (1e-10)."""
    layer = _layer(ctx, "AdditiveCoupling", [0.0, 1.0], seed=60)
    x = rng(61).normal(size=(6, 2))
    y, logdet = _forward(ctx, layer, x, "AdditiveCoupling")
    expect(np.array_equal(y[:, 1], x[:, 1]) and np.abs(y[:, 0] - x[:, 0]).max() > 1e-3,
           "AdditiveCoupling(mask=[0, 1]) should keep coordinate 1 and shift coordinate 0 (y = x + (1 − m) ⊙ t)")
    assert_close(logdet, np.zeros(6), rtol=0, atol=0, name="AdditiveCoupling's logdet")
    _, fd = _fd_logdet(ctx, layer, x, "AdditiveCoupling")
    assert_close(fd, np.zeros(6), rtol=0, atol=1e-6, name="log|det| of AdditiveCoupling's finite-difference Jacobian")
    assert_close(_inverse(ctx, layer, y, "AdditiveCoupling"), x, rtol=1e-10,
                 name="AdditiveCoupling.inverse(forward(x)) − x")


@exercise.check(points=1, depends_on="affine_coupling_keeps_masked_coordinates_and_inverts")
def masks_are_registered_buffers(ctx):
    """Each coupling layer registers its mask as a buffer (register_buffer), so .to(device) and
    .double() move and cast it: one of its buffers holds the mask (or its complement)."""
    mask = np.array([1.0, 0.0, 0.0, 1.0])
    for kind in ("AffineCoupling", "AdditiveCoupling"):
        layer = ctx.construct(kind, tensor(mask, dtype="float32"), 4)
        buffers = ctx.get("_buffers", handle=layer)
        held = [np.asarray(getattr(b, "array", b), dtype=float).ravel() for b in (buffers or {}).values()
                if b is not None and hasattr(b, "array")] if isinstance(buffers, dict) else []
        expect(any(v.shape == mask.shape and (np.array_equal(v, mask) or np.array_equal(v, 1 - mask)) for v in held),
               f"{kind}(mask={mask.tolist()}, 4) should register the mask as a buffer (self.register_buffer('mask', "
               f"mask)); its buffers are {sorted(buffers) if isinstance(buffers, dict) else buffers!r}")


@exercise.check(points=2)
def flow_log_prob_is_the_change_of_variables(ctx):
    """Flow([AffineCoupling, AdditiveCoupling, AffineCoupling]) in float64 with seeded weights:
    log_prob(x) = log N(z; 0, I) − including −(d/2) log 2π − + Σ logdet, with z and the logdets
    from the layers' own forwards in order (1e-10), and exp(log_prob) integrates to 1 ± 0.02 over a
    400² grid on [−6, 6]²."""
    kinds = (("AffineCoupling", [1.0, 0.0]), ("AdditiveCoupling", [0.0, 1.0]), ("AffineCoupling", [0.0, 1.0]))
    layers = [ctx.construct(kind, tensor(np.array(mask), dtype="float32"), 8) for kind, mask in kinds]
    flow = ctx.call_handle(ctx.construct("Flow", layers), method="double")
    flow = ctx.call_handle(flow, ctx.function(_SEEDED_WEIGHTS.format(seed=70)), method="apply")
    x = 1.5 * rng(71).normal(size=(7, 2))
    z, total = x, np.zeros(7)
    for (kind, _), layer in zip(kinds, layers):
        z, logdet = _forward(ctx, layer, z, kind)
        total = total + logdet
    expect(np.abs(total).max() > 1e-3, "the seeded coupling layers should have non-zero log-determinants")
    want = -0.5 * np.sum(z ** 2, axis=1) - math.log(2 * math.pi) + total
    got = tensor_value(ctx.call_handle(flow, tensor(x), method="log_prob", returns=Anything()),
                       name="the result of Flow.log_prob", shape=(7,))
    assert_close(got, want, rtol=1e-10, name="Flow.log_prob(x) (vs log N(z; 0, I) + Σ logdet of its layers)")
    points, cell = _grid()
    density = np.exp(tensor_value(ctx.call_handle(flow, tensor(points), method="log_prob", returns=Anything()),
                                  name="Flow.log_prob on the grid", shape=(len(points),)))
    mass = float(np.sum(density) * cell)
    expect(abs(mass - 1) <= 0.02, f"exp(Flow.log_prob) should integrate to 1 ± 0.02 over [−6, 6]²; got {mass:.4f}")


@exercise.check(points=4)
def train_flow_fits_two_moons(ctx):
    """train_flow(X, 400, 5e-3, 'cpu', 0) on two moons (4000 points, noise 0.05, standardized;
    float32) returns a Flow whose float32 log_prob gives a test NLL ≤ 1.8 nats (a Gaussian: 2.84)
    on 2000 fresh points, and whose density still integrates to 1 ± 0.02 over [−6, 6]²; the 400
    steps have 15 s (the reference takes about 1 s on one core)."""
    train, test = _moons()
    flow = ctx.call("train_flow", tensor(train, dtype="float32"), 400, _LR, "cpu", 0)
    _fitted(ctx, flow, test, "cpu", 1.8, 400)


#: Raises (naming it) on the first buffer or parameter of a module that is not on CUDA.
_ALL_ON_CUDA = ("lambda m: [torch._assert(t.device.type == 'cuda', f'{type(m).__name__}.{name} is on {t.device}, "
                "not on the training device') for name, t in [*m.named_buffers(recurse=False), "
                "*m.named_parameters(recurse=False)]]")


@exercise.check(points=3, gpu=True)
def train_flow_on_cuda(ctx):
    """GPU: train_flow(X, 1500, 5e-3, 'cuda', 0) returns a Flow whose buffers (the masks) and
    parameters are all on CUDA, whose log_prob of CUDA test points is on CUDA with a test NLL
    ≤ 1.6 nats, and whose density integrates to 1 ± 0.02 over [−6, 6]²."""
    train, test = _moons()
    ctx.call("train_flow", tensor(train[:256], dtype="float32"), 1, _LR, "cuda", 0)   # CUDA set up first
    flow = ctx.call("train_flow", tensor(train, dtype="float32"), 1500, _LR, "cuda", 0)
    ctx.call_handle(flow, ctx.function(_ALL_ON_CUDA), method="apply")
    _fitted(ctx, flow, test, "cuda", 1.6, 1500)
