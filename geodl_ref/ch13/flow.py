"""Normalizing flows (chapter 13): RealNVP's affine coupling layer, NICE's additive one, a flow
of them with its exact log-likelihood, and training on two moons, in torch.

A flow is an invertible map f from data x to a latent z with a standard normal density; the
change of variables gives the exact log-density

    log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|,

and a composition of layers adds their log-determinants. A coupling layer keeps the coordinates
where the binary mask m is 1 and transforms the others with a scale and a shift computed from
the kept ones only (eqs 13.78–13.81):

    y = m ⊙ x + (1 − m) ⊙ (x ⊙ e^{s(m ⊙ x)} + t(m ⊙ x)),

so its Jacobian is triangular with diagonal entries 1 or e^{s_i}, log|det| = Σ_{i: m_i = 0} s_i,
and its inverse is x = m ⊙ y + (1 − m) ⊙ (y − t(m ⊙ y)) ⊙ e^{−s(m ⊙ y)}: s and t never need
inverting, so they can be any networks. Here s is bounded by a tanh (an unbounded e^s overflows
early in training). NICE's additive coupling (eqs 13.76–13.77) has no scale: log|det| = 0.

The mask is a registered buffer (``register_buffer``), so ``.to(device)`` and ``.double()`` move
and cast it with the parameters. Layers and flows keep the dtype and device of their parameters;
``train_flow`` builds its weights on the CPU from the seed and then moves them, so the same seed
gives the same initial flow on every device.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

from geodl_ref._validation import check_int, check_scalar

__all__ = ["AdditiveCoupling", "AffineCoupling", "Flow", "train_flow"]


def _check_mask(mask: object) -> torch.Tensor:
    """``mask`` as a 1-d float tensor of zeros and ones (of the default dtype), or raise."""
    tensor = torch.as_tensor(mask).detach().cpu().to(torch.get_default_dtype())
    if tensor.ndim != 1 or tensor.numel() == 0:
        raise ValueError(f"mask should be a non-empty 1-d tensor of shape (d,); got shape {tuple(tensor.shape)}")
    if not bool(((tensor == 0) | (tensor == 1)).all()):
        raise ValueError("mask should hold only zeros and ones")
    return tensor


def _check_input(x: object, d: int, *, name: str) -> torch.Tensor:
    """``x`` if it is a floating-point tensor of shape (B, d); else raise naming ``name``."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} should be a torch.Tensor; got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"{name} should be a floating-point tensor; got dtype {x.dtype}")
    if x.ndim != 2 or x.shape[1] != d:
        raise ValueError(f"{name} should have shape (B, d) with d = {d}; got {name}.shape={tuple(x.shape)}")
    return x


class AffineCoupling(nn.Module):
    """RealNVP's affine coupling layer (eqs 13.78–13.81).

    y = m ⊙ x + (1 − m) ⊙ (x ⊙ e^{s} + t) with s = tanh(·) and t computed by one small network
    from m ⊙ x; log|det ∂y/∂x| = Σ_i (1 − m_i) s_i.

    Parameters
    ----------
    mask : Tensor or array-like of shape (d,)
        Zeros and ones: 1 marks the coordinates the layer keeps (and conditions on). It is
        registered as the buffer ``mask``.
    hidden : int
        Width of the two hidden layers of the network computing (s, t).

    Examples
    --------
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> layer = AffineCoupling(torch.tensor([1.0, 0.0]), hidden=8).double()
    >>> x = torch.randn(5, 2, dtype=torch.float64)
    >>> y, logdet = layer(x)
    >>> y.shape, logdet.shape, bool(torch.equal(y[:, 0], x[:, 0]))
    (torch.Size([5, 2]), torch.Size([5]), True)
    >>> bool(torch.allclose(layer.inverse(y), x, rtol=0, atol=1e-12))
    True
    >>> [name for name, _ in layer.named_buffers()]
    ['mask']
    """

    mask: torch.Tensor  #: the mask, a registered buffer

    def __init__(self, mask: torch.Tensor | Sequence[float], hidden: int):
        super().__init__()
        mask = _check_mask(mask)
        hidden = check_int(hidden, name="hidden", lo=1)
        ### BEGIN SOLUTION
        self.register_buffer("mask", mask)                    # (d,), moves and casts with the layer
        d = mask.numel()
        self.net: nn.Sequential = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                                nn.ReLU(), nn.Linear(hidden, 2 * d))  # m ⊙ x ↦ (raw s, t)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """y = f(x) and log|det ∂y/∂x| per sample.

        Parameters
        ----------
        x : Tensor of shape (B, d), the layer's dtype and device

        Returns
        -------
        y : Tensor of shape (B, d)
        logdet : Tensor of shape (B,)
        """
        x = _check_input(x, self.mask.numel(), name="x")
        ### BEGIN SOLUTION
        s, t = _scale_shift(self, self.mask * x)
        y = self.mask * x + (1 - self.mask) * (x * torch.exp(s) + t)   # eq 13.78
        return y, s.sum(dim=1)                                          # log|det| = Σ s (eq 13.81)
        ### END SOLUTION

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """x = f⁻¹(y): the kept coordinates are unchanged, so s and t are recomputed from them.

        Parameters
        ----------
        y : Tensor of shape (B, d)

        Returns
        -------
        Tensor of shape (B, d)
        """
        y = _check_input(y, self.mask.numel(), name="y")
        ### BEGIN SOLUTION
        s, t = _scale_shift(self, self.mask * y)                         # m ⊙ y = m ⊙ x
        return self.mask * y + (1 - self.mask) * ((y - t) * torch.exp(-s))
        ### END SOLUTION


### BEGIN SOLUTION
def _scale_shift(layer: AffineCoupling, kept: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """s and t of an affine coupling layer from the kept coordinates m ⊙ x, both zero where m = 1."""
    raw, t = layer.net(kept).chunk(2, dim=1)                   # (B, d) each
    free = 1 - layer.mask
    return torch.tanh(raw) * free, t * free                    # s bounded in [−1, 1]
### END SOLUTION


class AdditiveCoupling(nn.Module):
    """NICE's additive coupling layer (eqs 13.76–13.77): y = m ⊙ x + (1 − m) ⊙ (x + t(m ⊙ x)).

    Volume preserving: log|det ∂y/∂x| = 0.

    Parameters
    ----------
    mask : Tensor or array-like of shape (d,)
        Zeros and ones (1: kept); registered as the buffer ``mask``.
    hidden : int
        Width of the two hidden layers of the network computing t.

    Examples
    --------
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> layer = AdditiveCoupling([0.0, 1.0, 0.0], hidden=8)
    >>> x = torch.randn(4, 3)
    >>> y, logdet = layer(x)
    >>> logdet
    tensor([0., 0., 0., 0.])
    >>> bool(torch.allclose(layer.inverse(y), x, atol=1e-6))
    True
    """

    mask: torch.Tensor  #: the mask, a registered buffer

    def __init__(self, mask: torch.Tensor | Sequence[float], hidden: int):
        super().__init__()
        mask = _check_mask(mask)
        hidden = check_int(hidden, name="hidden", lo=1)
        ### BEGIN SOLUTION
        self.register_buffer("mask", mask)
        d = mask.numel()
        self.net: nn.Sequential = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                                nn.ReLU(), nn.Linear(hidden, d))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """y = f(x) and its log-determinant, 0 for every sample.

        Parameters
        ----------
        x : Tensor of shape (B, d)

        Returns
        -------
        y : Tensor of shape (B, d)
        logdet : Tensor of shape (B,), zeros
        """
        x = _check_input(x, self.mask.numel(), name="x")
        ### BEGIN SOLUTION
        y = x + (1 - self.mask) * self.net(self.mask * x)              # eq 13.76
        return y, x.new_zeros(x.shape[0])
        ### END SOLUTION

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """x = f⁻¹(y) = y − (1 − m) ⊙ t(m ⊙ y) (eq 13.77).

        Parameters
        ----------
        y : Tensor of shape (B, d)

        Returns
        -------
        Tensor of shape (B, d)
        """
        y = _check_input(y, self.mask.numel(), name="y")
        ### BEGIN SOLUTION
        return y - (1 - self.mask) * self.net(self.mask * y)
        ### END SOLUTION


class Flow(nn.Module):
    """A normalizing flow: coupling layers applied in order, from data x to latent z.

    Parameters
    ----------
    layers : sequence of coupling layers
        Modules whose ``forward(x)`` returns ``(y, logdet)`` and that have ``inverse(y)``
        (:class:`AffineCoupling`, :class:`AdditiveCoupling`), all of the same dimension d.

    Examples
    --------
    >>> import math, torch
    >>> _ = torch.manual_seed(0)
    >>> flow = Flow([AffineCoupling([1.0, 0.0], 8), AffineCoupling([0.0, 1.0], 8)])
    >>> flow.log_prob(torch.zeros(3, 2)).shape
    torch.Size([3])
    >>> identity = Flow([])                     # no layer: the standard normal itself
    >>> round(float(identity.log_prob(torch.zeros(1, 2))[0]), 6) == round(-math.log(2 * math.pi), 6)
    True
    """

    def __init__(self, layers: Sequence[nn.Module]):
        super().__init__()
        layers = list(layers)
        for index, layer in enumerate(layers):
            if not isinstance(layer, nn.Module) or not hasattr(layer, "inverse"):
                raise TypeError(f"layers[{index}] should be a coupling layer (an nn.Module with inverse); "
                                f"got {type(layer).__name__}")
        ### BEGIN SOLUTION
        self.layers = nn.ModuleList(layers)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """z = f(x) through every layer, and the sum of their log-determinants.

        Parameters
        ----------
        x : Tensor of shape (B, d)

        Returns
        -------
        z : Tensor of shape (B, d)
        logdet : Tensor of shape (B,)
        """
        if not isinstance(x, torch.Tensor) or x.ndim != 2:
            raise ValueError(f"x should be a tensor of shape (B, d); got {type(x).__name__} "
                             f"{tuple(getattr(x, 'shape', ()))}")
        ### BEGIN SOLUTION
        logdet = x.new_zeros(x.shape[0])                   # (B,)
        for layer in self.layers:
            x, step = layer(x)
            logdet = logdet + step                         # log-determinants add along a composition
        return x, logdet
        ### END SOLUTION

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        """x = f⁻¹(z): the layers' inverses in reverse order.

        Parameters
        ----------
        z : Tensor of shape (B, d)

        Returns
        -------
        Tensor of shape (B, d)
        """
        ### BEGIN SOLUTION
        for layer in reversed(self.layers):
            z = layer.inverse(z)  # type: ignore[operator]  # a coupling layer's method
        return z
        ### END SOLUTION

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """The exact log-density log N(f(x); 0, I) + log|det ∂f/∂x| per sample.

        Parameters
        ----------
        x : Tensor of shape (B, d)

        Returns
        -------
        Tensor of shape (B,)
        """
        ### BEGIN SOLUTION
        z, logdet = self(x)                                                          # (B, d), (B,)
        log_normal = -0.5 * (z ** 2).sum(dim=1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
        return log_normal + logdet                                                   # change of variables
        ### END SOLUTION


def train_flow(X: torch.Tensor, steps: int, lr: float, device: str | torch.device = "cpu", seed: int = 0) -> Flow:
    """Fit a RealNVP flow to data by maximum likelihood (Adam on the mean negative log-likelihood).

    The flow (its architecture is this function's choice) is built on the CPU from ``seed``
    (without touching the global random state), moved to ``device`` with the dtype of X, and
    trained for ``steps`` Adam steps of learning rate ``lr`` on minibatches drawn with a
    generator seeded by ``seed``: the same seed gives the same flow.

    Parameters
    ----------
    X : Tensor of shape (N, d), floating
        Training data, one sample per row (standardized, e.g. two moons).
    steps : int
        Number of optimizer steps, ≥ 0.
    lr : float
        Adam's learning rate, > 0.
    device : str or torch.device, default "cpu"
        Where to train ("cpu", "cuda"); the returned flow (masks included) lives there.
    seed : int, default 0

    Returns
    -------
    Flow
        The trained flow, on ``device``, in the dtype of X.

    Examples
    --------
    >>> import torch
    >>> X = torch.randn(256, 2, generator=torch.Generator().manual_seed(1)) * torch.tensor([2.0, 0.5])
    >>> flow = train_flow(X, steps=50, lr=5e-3, device="cpu", seed=0)
    >>> nll = -flow.log_prob(X).mean().item()   # the untrained flow gives 4.6 nats, the data's entropy is 2.84
    >>> 2.7 < nll < 3.0
    True
    """
    if not isinstance(X, torch.Tensor) or not X.is_floating_point() or X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X should be a non-empty floating-point tensor of shape (N, d); got {type(X).__name__} "
                         f"{tuple(getattr(X, 'shape', ()))}")
    steps = check_int(steps, name="steps", lo=0)
    lr = check_scalar(lr, name="lr", lo=0, lo_open=True)
    seed = check_int(seed, name="seed", lo=0)
    device = torch.device(device)
    ### BEGIN SOLUTION
    d = X.shape[1]
    with torch.random.fork_rng(devices=[]):            # the global CPU generator is restored afterwards
        torch.default_generator.manual_seed(seed)
        masks = [(torch.arange(d) + k) % 2 for k in range(_LAYERS)]   # alternate which half is kept
        flow = Flow([AffineCoupling(mask, _HIDDEN) for mask in masks])
    flow = flow.to(device=device, dtype=X.dtype)       # weights built on the CPU, then moved
    data = X.detach().to(device)
    draws = torch.Generator().manual_seed(seed)
    batches = torch.randint(0, data.shape[0], (steps, min(_BATCH, data.shape[0])), generator=draws).to(device)
    optimizer = torch.optim.Adam(flow.parameters(), lr=lr)
    with torch.enable_grad():                          # trains even when called under torch.no_grad()
        for batch in batches:
            loss = -flow.log_prob(data[batch]).mean()  # maximum likelihood
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return flow.eval()
    ### END SOLUTION


### BEGIN SOLUTION
_LAYERS, _HIDDEN, _BATCH = 8, 32, 256   # 400 steps reach a test NLL of about 1.4 nats on two moons
### END SOLUTION
