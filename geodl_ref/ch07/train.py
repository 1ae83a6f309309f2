"""Training a small CNN on the 8×8 handwritten digits (chapter 7): the model, the training loop and
the accuracy, on whichever device the caller names.

The data are scikit-learn's ``load_digits`` images (1797 grey-level 8×8 digits, values 0..16),
scaled to [0, 1] by /16 and given as ``X`` of shape (n, 1, 8, 8), dtype float32, with integer
labels ``y`` of shape (n,), dtype int64, in 0..9. The grader holds a fixed split of 1400 training
and 397 test images.

The model maps (B, 1, 8, 8) to (B, 10) **logits**: it contains no softmax, because
``F.cross_entropy`` applies log-softmax itself (a softmax before it squashes the gradients and
slows training). Everything that touches a device takes it as the ``device`` argument ("cpu",
"cuda", "cuda:1"...): the functions move the model and the data there themselves and never call
``.cuda()``, so the same code runs on a machine without a GPU.

Training is reproducible: ``train`` re-initializes the weights and shuffles the mini-batches from
its ``seed`` alone (the global RNG is left as it was), so the same seed gives the same model and
the same accuracy on the same device.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["build_cnn", "train", "evaluate"]


def build_cnn() -> nn.Module:
    """A small CNN from (B, 1, 8, 8) images to (B, 10) logits, with at most 50,000 parameters.

    Returns
    -------
    torch.nn.Module
        A float32 model on the CPU. The reference is conv(1→16, 3×3, pad 1) → ReLU →
        conv(16→32, 3×3, pad 1) → ReLU → max-pool 2 → flatten (32·4·4 = 512) → linear(512→64) →
        ReLU → linear(64→10): 38,282 parameters, and no softmax at the end.

    Examples
    --------
    >>> model = build_cnn()
    >>> model(torch.zeros(5, 1, 8, 8)).shape
    torch.Size([5, 10])
    >>> sum(p.numel() for p in model.parameters())
    38282
    """
    ### BEGIN SOLUTION
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2),                                       # (B, 32, 4, 4)
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 64), nn.ReLU(),
        nn.Linear(64, 10),                                     # logits: no softmax (F.cross_entropy has it)
    )
    ### END SOLUTION


def _check_data(X, y) -> None:
    if not isinstance(X, torch.Tensor) or X.ndim != 4 or tuple(X.shape[1:]) != (1, 8, 8):
        raise ValueError(f"X should be a tensor of shape (n, 1, 8, 8); got {getattr(X, 'shape', type(X).__name__)}")
    if not isinstance(y, torch.Tensor) or y.shape != (X.shape[0],):
        raise ValueError(f"y should be a tensor of shape ({X.shape[0]},); got {getattr(y, 'shape', type(y).__name__)}")


def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int = 15, device: str = "cpu",
          seed: int = 0) -> nn.Module:
    """Train ``model`` in place with Adam on the cross-entropy of its logits, on ``device``.

    Parameters
    ----------
    model : torch.nn.Module
        From :func:`build_cnn`. Its weights are re-initialized from ``seed`` first.
    X : torch.Tensor, shape (n, 1, 8, 8), float32
        Training images in [0, 1], on any device.
    y : torch.Tensor, shape (n,), int64
        Their labels in 0..9.
    epochs : int, default 15
        Passes over the data, in shuffled mini-batches of 64.
    device : str, default "cpu"
        Where to train: the model and the data are moved there.
    seed : int, default 0
        Seeds the initialization and the shuffling (a private generator; the global RNG is
        left as it was).

    Returns
    -------
    torch.nn.Module
        ``model`` itself, trained, on ``device``, in evaluation mode.

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> X, y = torch.rand(32, 1, 8, 8, generator=g), torch.randint(0, 10, (32,), generator=g)
    >>> model = train(build_cnn(), X, y, epochs=1, device="cpu", seed=3)
    >>> model.training
    False
    """
    _check_data(X, y)
    if int(epochs) != epochs or epochs < 0:
        raise ValueError(f"epochs should be an integer >= 0; got {epochs!r}")
    ### BEGIN SOLUTION
    device = torch.device(device)
    with torch.random.fork_rng(devices=[]):                    # the caller's global RNG is left alone
        torch.manual_seed(seed)
        for layer in model.modules():                          # a fresh, seeded initialization
            if hasattr(layer, "reset_parameters"):
                layer.reset_parameters()
    order = torch.Generator().manual_seed(seed)                # the mini-batch order, on the CPU
    model.to(device).train()
    X, y = X.to(device), y.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(int(epochs)):
        for batch in torch.randperm(len(X), generator=order).split(64):
            batch = batch.to(device)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(X[batch]), y[batch])
            loss.backward()
            optimizer.step()
    return model.eval()
    ### END SOLUTION


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor, device: str = "cpu") -> float:
    """The fraction of the images ``X`` whose predicted class (the argmax of the logits) is ``y``.

    The model is put in evaluation mode (dropout off, batch norm on its running statistics) and
    run without gradients on ``device``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps (n, 1, 8, 8) to (n, 10) logits.
    X : torch.Tensor, shape (n, 1, 8, 8), float32
    y : torch.Tensor, shape (n,), int64
    device : str, default "cpu"

    Returns
    -------
    float
        The accuracy, in [0, 1].

    Examples
    --------
    >>> model = build_cnn()
    >>> acc = evaluate(model, torch.zeros(4, 1, 8, 8), torch.tensor([0, 1, 2, 3]))
    >>> acc in (0.0, 0.25, 0.5, 0.75, 1.0)
    True
    """
    _check_data(X, y)
    ### BEGIN SOLUTION
    device = torch.device(device)
    model.to(device).eval()
    with torch.no_grad():
        predicted = model(X.to(device)).argmax(dim=1)
    return float((predicted == y.to(device)).float().mean())
    ### END SOLUTION
