"""ch07.arch_arithmetic — output shapes, receptive fields and parameter counts of CNN architectures,
and VGG16 (book ex 7.1)."""
from __future__ import annotations

from hypothesis import strategies as st

from graders.authoring import Anything, Array, Exercise, Int, List, Record, Tuple, assert_close, expect, row
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch07.arch", functions=("out_shapes", "receptive_field", "param_count", "vgg16_layers"),
                    forbidden=("torch", "torchvision"), title="Architecture arithmetic")

#: The input of the out_shapes properties: 3 channels, H ≠ W.
IN_CHW = (3, 41, 36)


# ----------------------------------------------------------------------------- architectures
def _conv(Ci: int, Co: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> dict:
    return {"type": "conv", "in": Ci, "out": Co, "k": k, "s": s, "p": p, "d": d}


def _pool(k: int, s: int) -> dict:
    return {"type": "pool", "k": k, "s": s}


@st.composite
def architectures(draw, *, linear: bool = False, depth=(2, 5)) -> list[dict]:
    """2 to 5 conv and pool layers (at least one pooling, dilation up to 2, kernels 1 to 3, strides
    1 and 2, padding 0 and 1) on an input of IN_CHW that stays at least 1×1; then, if ``linear``, a
    linear layer on the flattened output."""
    n = draw(st.integers(*depth))
    pool_at = draw(st.integers(0, n - 1))
    layers, C, H, W = [], IN_CHW[0], IN_CHW[1], IN_CHW[2]
    for i in range(n):
        if i == pool_at or draw(st.integers(0, 3)) == 0:
            k, s, p, d, Co = draw(st.integers(2, 3)), draw(st.integers(1, 2)), 0, 1, C
            layer = _pool(k, s)
        else:
            k, s, p, d = (draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1)),
                          draw(st.integers(1, 2)))
            Co = draw(st.integers(1, 5))
            Co += Co >= C                                   # 1..6 without C: Co ≠ Ci
            layer = _conv(C, Co, k, s, p, d)
        Hn, Wn = ((m + 2 * p - d * (k - 1) - 1) // s + 1 for m in (H, W))
        if min(Hn, Wn) < 1:
            break
        layers.append(layer)
        C, H, W = Co, Hn, Wn
    if linear:
        layers.append({"type": "linear", "in": C * H * W, "out": draw(st.integers(2, 10))})
    return layers


def _describe(layers: list[dict]) -> str:
    def one(layer: dict) -> str:
        if layer["type"] == "conv":
            return f"conv({layer['in']}→{layer['out']}, k={layer['k']}, s={layer['s']}, p={layer['p']}, d={layer['d']})"
        if layer["type"] == "pool":
            return f"pool(k={layer['k']}, s={layer['s']})"
        return f"linear({layer['in']}→{layer['out']})"
    return "[" + ", ".join(map(one, layers)) + "]"


# ----------------------------------------------------------------------------- oracles
def _torch_modules(layers: list[dict], *, single_channel: bool):
    import torch

    modules: list[torch.nn.Module] = []
    for layer in layers:
        if layer["type"] == "conv":
            Ci, Co = (1, 1) if single_channel else (layer["in"], layer["out"])
            modules.append(torch.nn.Conv2d(Ci, Co, layer["k"], stride=layer["s"], padding=layer["p"],
                                           dilation=layer["d"]))
        elif layer["type"] == "pool":
            modules.append(torch.nn.AvgPool2d(layer["k"], stride=layer["s"]))
        else:
            modules += [torch.nn.Flatten(), torch.nn.Linear(layer["in"], layer["out"])]
    return torch.nn.Sequential(*modules).double()


@oracle
def _torch_shapes(layers: list[dict], in_chw: tuple[int, int, int]) -> list[list[int]]:
    """The (C, H, W) after each layer of the torch network (a linear layer's n_out as (n_out, 1, 1))."""
    import torch

    shapes, h = [], torch.zeros(1, *in_chw, dtype=torch.float64)
    with torch.no_grad():
        for module in _torch_modules(layers, single_channel=False):
            h = module(h)
            if not isinstance(module, torch.nn.Flatten):
                shapes.append(list(h.shape[1:]) if h.ndim == 4 else [h.shape[1], 1, 1])
    return shapes


@oracle
def _torch_param_count(layers: list[dict]) -> int:
    """Σ numel over the torch network's parameters."""
    return int(sum(p.numel() for p in _torch_modules(layers, single_channel=False).parameters()))


@oracle
def _autograd_receptive_field(layers: list[dict]) -> list[int]:
    """[rf, jump] measured by autograd on a single-channel network with all-ones weights: rf = the width
    of the support of ∂y[centre]/∂x, jump = the shift of that support between two neighbouring outputs."""
    import math

    import torch

    strides = math.prod(layer["s"] for layer in layers)
    bound = 1 + strides * sum((layer["k"] - 1) * layer.get("d", 1) for layer in layers)   # an upper bound of rf
    size = 2 * bound + 4 * strides + 8
    net = _torch_modules(layers, single_channel=True)
    for p in net.parameters():
        torch.nn.init.ones_(p)
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = net(x)
    i = y.shape[2] // 2
    spans = []
    for j in (i, i + 1):
        (g,) = torch.autograd.grad(y[0, 0, i, j], x, retain_graph=True)
        cols = torch.nonzero(g[0, 0].sum(dim=0)).flatten()
        spans.append((int(cols.min()), int(cols.max())))
    return [spans[0][1] - spans[0][0] + 1, spans[1][0] - spans[0][0]]


# ----------------------------------------------------------------------------- helpers
def _compare_rf(ctx, layers: list[dict]) -> None:
    want = _autograd_receptive_field(layers)
    got = ctx.call("receptive_field", layers, returns=Tuple(Int(label="rf"), Int(label="jump")))
    assert_close(list(got), want, rtol=0, name=f"receptive_field's (rf, jump) of {_describe(layers)} "
                                               f"(vs autograd's support)")


def _compare_params(ctx, layers: list[dict]) -> None:
    want = _torch_param_count(layers)
    got = ctx.call("param_count", layers, returns=Int())
    assert_close(got, want, rtol=0, name=f"param_count of {_describe(layers)} (vs the torch network's)")


def _compare_shapes(ctx, layers: list[dict], in_chw: tuple[int, int, int]) -> None:
    want = _torch_shapes(layers, in_chw)
    got = ctx.call("out_shapes", layers, in_chw, returns=Array((len(layers), 3)))
    assert_close(got, want, rtol=0, name=f"out_shapes of {_describe(layers)} from {in_chw} (vs torch's forward)")


_CONV3 = _conv(2, 2, 3)


# ----------------------------------------------------------------------------- book fixtures
@exercise.check(points=2)
def vgg16_book_fixture(ctx):
    """Book ex 7.1: VGG16 (configuration D) has 13 convolution layers with 14,714,688 parameters and
    138,357,544 parameters in all (counted by your param_count), and its out_shapes at 3×224×224 end
    the conv blocks at 512×7×7 and the classifier at 1000."""
    layers = ctx.call("vgg16_layers", returns=List(Record(type=Anything()), length=21, label="vgg16_layers()"))
    convs = [layer for layer in layers if layer["type"] == "conv"]
    expect(len(convs) == 13, f"vgg16_layers() should hold 13 conv layers; it holds {len(convs)}")
    assert_close(ctx.call("param_count", convs, returns=Int()), 14_714_688, rtol=0,
                 name="param_count of VGG16's 13 conv layers")
    assert_close(ctx.call("param_count", layers, returns=Int()), 138_357_544, rtol=0,
                 name="param_count(vgg16_layers())")
    want = ctx.ref.out_shapes(ctx.ref.vgg16_layers(), (3, 224, 224))
    got = ctx.call("out_shapes", layers, (3, 224, 224), returns=Array((21, 3)))
    assert_close(got, want, rtol=0, name="out_shapes(vgg16_layers(), (3, 224, 224))")


@exercise.check(points=1)
def three_3x3_convs_see_7x7(ctx):
    """Three stacked 3×3 convolutions (stride 1) have a 7×7 receptive field and jump 1 (§7.3), as
    autograd's support of a centre pixel's gradient says."""
    _compare_rf(ctx, [_CONV3, _CONV3, _CONV3])


# ----------------------------------------------------------------------------- properties
@exercise.check(points=3, given={"layers": architectures()}, max_examples=8)
def receptive_field_matches_autograd(ctx, layers):
    """receptive_field's (rf, jump) equal the width of the support of ∂y[centre]/∂x, and its shift
    between neighbouring outputs, by torch autograd with all-ones weights, on random architectures
    with pooling, strides and dilation."""
    _compare_rf(ctx, layers)


@exercise.check(points=2, given={"layers": architectures(linear=True)}, max_examples=10)
def out_shapes_match_torch(ctx, layers):
    """out_shapes equals the shapes of a torch forward pass, layer by layer (floor, then + 1; pooling
    keeps the channels; a linear layer gives (n_out, 1, 1)), on random architectures with H ≠ W."""
    _compare_shapes(ctx, layers, IN_CHW)


@exercise.check(points=2, given={"layers": architectures(linear=True)}, max_examples=10)
def param_count_matches_torch(ctx, layers):
    """param_count equals Σ numel of the torch network's parameters: Co·Ci·k² + Co per conv,
    n_in·n_out + n_out per linear layer, none for pooling."""
    _compare_params(ctx, layers)


# ----------------------------------------------------------------------------- targeted cases
@exercise.table(points=1, rows=[
    row("jump_accumulates_over_strides",
        "After two stride-2 layers a 3×3 convolution's taps are 4 input pixels apart: receptive_field of "
        "conv3-s2, pool2-s2, conv3 equals autograd's (rf 13, jump 4).",
        func="receptive_field", layers=[_conv(2, 2, 3, s=2), _pool(2, 2), _CONV3]),
    row("dilation_widens_the_field",
        "A dilation-2 3×3 convolution after a stride-2 pooling: receptive_field equals autograd's.",
        func="receptive_field", layers=[_pool(2, 2), _conv(2, 2, 3, d=2), _CONV3]),
    row("biases_are_counted",
        "param_count counts one bias per output channel and per output unit: a 1×1 conv 3→5 and a "
        "linear 20→4 have 20 + 84 parameters, as torch's.",
        func="param_count", layers=[_conv(3, 5, 1), {"type": "linear", "in": 20, "out": 4}]),
    row("pooling_has_no_parameters",
        "param_count gives pooling layers no parameters: conv, pool, conv, pool as in torch.",
        func="param_count", layers=[_conv(3, 4, 3), _pool(2, 2), _conv(4, 6, 3, p=1), _pool(3, 1)]),
])
def targeted_case(ctx, func, layers):
    (_compare_rf if func == "receptive_field" else _compare_params)(ctx, layers)


# ----------------------------------------------------------------------------- hidden
@exercise.check(points=2, visibility="hidden")
def vgg16_layers_match_the_reference(ctx):
    """vgg16_layers' receptive field (212, jump 32), shapes at 3×160×200 and parameters equal the reference's."""
    layers = ctx.call("vgg16_layers", returns=List(Record(type=Anything()), length=21, label="vgg16_layers()"))
    features = [layer for layer in layers if layer["type"] != "linear"]
    ref = [layer for layer in ctx.ref.vgg16_layers() if layer["type"] != "linear"]
    assert_close(list(ctx.call("receptive_field", features, returns=Tuple(Int(), Int()))),
                 list(ctx.ref.receptive_field(ref)), rtol=0, name="receptive_field of VGG16's conv and pool layers")
    got = ctx.call("out_shapes", features, (3, 160, 200), returns=Array((len(ref), 3)))
    assert_close(got, ctx.ref.out_shapes(ref, (3, 160, 200)), rtol=0, name="out_shapes of VGG16's features at 160×200")


@exercise.check(points=2, visibility="hidden", given={"layers": architectures(linear=True, depth=(4, 7))},
                max_examples=10)
def deeper_architectures_match_torch(ctx, layers):
    """Deeper random architectures (4 to 7 layers): out_shapes, param_count and receptive_field equal torch's."""
    _compare_shapes(ctx, layers, IN_CHW)
    _compare_params(ctx, layers)
    _compare_rf(ctx, layers[:-1])
