"""ch07.train_digits_cnn — a small CNN trained on scikit-learn's 8×8 digits, graded by what the
trained model predicts: the grader holds the data (a fixed split of 1400 training and 397 test
images, scaled /16), trains the student's model with the student's ``train`` on the CPU, and
computes the test accuracy itself from the logits the model returns in evaluation mode.

GPU checks (``gpu=True``, graded only on a worker with CUDA) train on ``device="cuda"`` and
require the parameters and outputs there, the accuracy bar, and agreement with the CPU accuracy."""
from __future__ import annotations

import numpy as np

from graders.authoring import Anything, Exercise, Float, Function, Tensor, expect
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch07.train", functions=("build_cnn", "train", "evaluate"), mutates=("train",),
                    forbidden=("sklearn",), gpu=True, call_timeout_s=15.0,
                    title="Training a CNN on the digits (GPU)")

#: The fixed split of the 1797 digits and the training settings of CURRICULUM §7.
N_TRAIN, EPOCHS, SEED, MIN_ACCURACY, MAX_PARAMETERS = 1400, 15, 0, 0.95, 50_000


@oracle
def digits() -> dict:
    """scikit-learn's digits as X (1797, 1, 8, 8) float32 in [0, 1] and y (1797,) int64, with the
    grader's fixed permutation (seed 0): its first 1400 are the training set, the rest the test set."""
    from sklearn.datasets import load_digits

    data = load_digits()
    X = (data.images / 16.0).astype(np.float32)[:, None, :, :]
    y = data.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(X))
    return {"X": X[order], "y": y[order]}


def _split(ctx):
    """The training and test tensors, as arguments for the worker."""
    data = digits()
    X, y = data["X"], data["y"]
    return (ctx.tensor(X[:N_TRAIN], dtype="float32"), ctx.tensor(y[:N_TRAIN], dtype="int64"),
            ctx.tensor(X[N_TRAIN:], dtype="float32"), y[N_TRAIN:])


def _trained(ctx, device: str = "cpu", seed: int = SEED, epochs: int = EPOCHS):
    """A model from the student's build_cnn(), trained by the student's train() on the training
    set; returns the trained model's handle and the test data."""
    X_train, y_train, X_test, y_test = _split(ctx)
    model = ctx.construct("build_cnn")
    trained = ctx.call("train", model, X_train, y_train, epochs, device, seed,
                       returns=Function(label="what train(model, ...) returned (the trained model)"))
    return trained, X_test, y_test


def _test_logits(ctx, model, X_test, n_test: int) -> np.ndarray:
    """The model's (n_test, 10) logits on the test images, in evaluation mode, on the CPU."""
    ctx.call_handle(model, method="eval")
    return ctx.call_handle(model, X_test, returns=Tensor((n_test, 10), "float32", label="model(X_test)"))


def _named_parameters(ctx, model) -> list:
    """``[(name, tensor), ...]`` of the model's ``named_parameters()``, listed in the worker."""
    named = ctx.call_in("builtins", "list", ctx.call_handle(model, method="named_parameters"), returns=Anything())
    expect(isinstance(named, list) and named, "the model has no parameters")
    for item in named:
        expect(isinstance(item, (list, tuple)) and len(item) == 2, "named_parameters() gave something odd")
    return named


def _accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    expect(np.isfinite(logits).all(), "the model's logits on the test images are not all finite")
    return float(np.mean(logits.argmax(axis=1) == y))


@exercise.check(points=3)
def trains_to_95_percent_on_cpu(ctx):
    """train(build_cnn(), X_train, y_train, epochs=15, device="cpu", seed=0) on the 1400 training
    digits reaches a test accuracy of at least 0.95 on the 397 others (the grader computes it from
    the model's logits in evaluation mode)."""
    model, X_test, y_test = _trained(ctx)
    accuracy = _accuracy(_test_logits(ctx, model, X_test, len(y_test)), y_test)
    expect(accuracy >= MIN_ACCURACY, f"the trained model's test accuracy is {accuracy:.4f}; it should be ≥ "
                                     f"{MIN_ACCURACY} after {EPOCHS} epochs")


@exercise.check(points=1, depends_on="trains_to_95_percent_on_cpu")
def model_outputs_logits(ctx):
    """build_cnn() maps a (5, 1, 8, 8) batch of images to (5, 10) logits: not probabilities (no
    softmax at the end: F.cross_entropy applies log-softmax itself)."""
    model = ctx.construct("build_cnn")
    images = np.random.default_rng(1).random((5, 1, 8, 8)).astype(np.float32)
    out = ctx.call_handle(model, ctx.tensor(images, dtype="float32"),
                          returns=Tensor((5, 10), "float32", label="build_cnn()(x) for x of shape (5, 1, 8, 8)"))
    expect(np.isfinite(out).all(), "the untrained model's output is not finite")
    probabilities = bool((out >= 0).all() and np.allclose(out.sum(axis=1), 1.0, atol=1e-5))
    expect(not probabilities, "the model's outputs are probabilities (every row is ≥ 0 and sums to 1): "
                              "remove the softmax at its end and return the logits")


@exercise.check(points=1, depends_on="model_outputs_logits")
def at_most_50k_parameters(ctx):
    """build_cnn() has at most 50,000 parameters."""
    count = sum(Tensor(None, "float32").check(value, f"parameter {name!r}").size
                for name, value in _named_parameters(ctx, ctx.construct("build_cnn")))
    expect(count <= MAX_PARAMETERS, f"the model has {count:,} parameters; at most {MAX_PARAMETERS:,} are allowed")


@exercise.check(points=1, depends_on="trains_to_95_percent_on_cpu")
def evaluate_reports_the_accuracy(ctx):
    """evaluate(model, X_test, y_test, "cpu") is the test accuracy of a model trained for 2 epochs, computed in
    evaluation mode whatever mode the model was left in (dropout off, batch norm on running stats)."""
    model, X_test, y_test = _trained(ctx, epochs=2)
    want = _accuracy(_test_logits(ctx, model, X_test, len(y_test)), y_test)
    ctx.call_handle(model, method="train")                 # evaluate must switch to eval mode itself
    got = ctx.call("evaluate", model, X_test, ctx.tensor(y_test, dtype="int64"), "cpu", returns=Float())
    expect(abs(got - want) <= 1e-6, f"evaluate gave {got:.6f}; the model's accuracy on those images is {want:.6f}")


@exercise.check(points=1, depends_on="trains_to_95_percent_on_cpu", visibility="hidden")
def same_seed_same_model(ctx):
    """Two fresh models trained for 2 epochs with the same seed give the same test logits (to 1e-6)."""
    first, X_test, y_test = _trained(ctx, seed=5, epochs=2)
    second, _, _ = _trained(ctx, seed=5, epochs=2)
    a = _test_logits(ctx, first, X_test, len(y_test))
    b = _test_logits(ctx, second, X_test, len(y_test))
    expect(np.max(np.abs(a - b)) <= 1e-6 * max(1.0, float(np.max(np.abs(a)))),
           "two models trained with seed=5 give different logits: seed the initialization and the "
           "shuffling from the seed argument")


def _parameter_devices(ctx, model) -> set[str]:
    """The devices the model's parameters are on (as the worker reports its tensors)."""
    return {str(getattr(value, "device", "?")) for _, value in _named_parameters(ctx, model)}


@exercise.check(points=2, gpu=True)
def trains_on_cuda(ctx):
    """On a GPU: train(..., device="cuda") leaves the parameters on the GPU, the model's outputs on
    GPU inputs are on the GPU, the test accuracy is at least 0.95, and it is within 0.02 of the
    CPU run's."""
    model, _, y_test = _trained(ctx, device="cuda")
    devices = _parameter_devices(ctx, model)
    expect(all(d.startswith("cuda") for d in devices), f"after train(device='cuda') the parameters are on {devices}")
    ctx.call_handle(model, method="eval")
    images = ctx.tensor(digits()["X"][N_TRAIN:], dtype="float32", device="cuda")
    out = ctx.call_handle(model, images, returns=Tensor((len(y_test), 10), "float32", device="cuda",
                                                        label="model(X_test) on cuda"))
    on_gpu = _accuracy(out, y_test)
    cpu_model, X_test, _ = _trained(ctx)
    on_cpu = _accuracy(_test_logits(ctx, cpu_model, X_test, len(y_test)), y_test)
    expect(on_gpu >= MIN_ACCURACY, f"the test accuracy on the GPU is {on_gpu:.4f}; it should be ≥ {MIN_ACCURACY}")
    expect(abs(on_gpu - on_cpu) <= 0.02, f"the GPU accuracy {on_gpu:.4f} is more than 0.02 from the CPU's {on_cpu:.4f}")
