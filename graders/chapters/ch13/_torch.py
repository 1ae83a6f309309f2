"""What ch13's torch exercises share: tensor arguments of a given dtype, reading a tensor a
student's function returned (its dtype kept, its values as an array), and torch source text for
grader-authored functions."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.authoring import Tensor
from graders.grading.context import CheckContext

#: A torch tensor argument of ``dtype`` built in the worker from ``array`` (its values cast first).
tensor = CheckContext.tensor


def tensor_value(value: Any, *, name: str, dtype: str = "float64", shape: tuple[int, ...] | None = None,
                 device: str | None = None) -> np.ndarray:
    """The values of ``value``, a torch tensor of ``dtype`` (and ``shape``, and on ``device``'s
    kind) that a student's function returned, or the check failed saying what came back."""
    return Tensor(shape, dtype, device=device or "", label=name).check(value, name)


def requires_grad(value: Any) -> bool:
    """Whether a returned tensor was part of an autograd graph (False for anything else)."""
    return hasattr(value, "array") and getattr(value, "requires_grad", False) is True


def torch_literal(array: np.ndarray, *, requires_grad: bool = False) -> str:
    """``array`` as torch source text of a float64 tensor (float repr round-trips exactly)."""
    grad = ", requires_grad=True" if requires_grad else ""
    return f"torch.tensor({np.asarray(array, dtype=float).tolist()!r}, dtype=torch.float64{grad})"
