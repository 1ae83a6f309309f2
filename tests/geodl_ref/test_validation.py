"""geodl_ref/_validation.py's check_tensor: what it accepts, what it refuses and how it says so,
and that the file names no package but numpy (every chapter ships it, and a class's warm workers
preload each package some file of the class names)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from geodl_ref._validation import check_tensor


def test_a_tensor_as_described_is_returned_itself():
    x = torch.zeros(2, 3, dtype=torch.float64)
    assert check_tensor(x, name="X", ndim=2, shape=(2, 3), like=torch.ones(1, dtype=torch.float64), finite=True) is x
    assert check_tensor(torch.nn.Parameter(torch.zeros(4)), name="w", min_ndim=1) is not None
    assert check_tensor(torch.zeros(3, dtype=torch.int64), name="idx", floating=False) is not None


@pytest.mark.parametrize("x, options, error, message", [
    (np.zeros((2, 3)), {"layout": "(N, C)"}, TypeError, r"X should be a tensor of shape \(N, C\); got ndarray"),
    (torch.zeros(3, dtype=torch.int64), {}, TypeError, "X should be a floating-point tensor; got dtype torch.int64"),
    (torch.zeros(3), {"ndim": 2, "layout": "(N, C)"}, ValueError,
     r"X should be a 2-d tensor of shape \(N, C\); got X.shape=\(3,\)"),
    (torch.zeros(3), {"min_ndim": 2}, ValueError, r"X should have at least 2 axes; got X.shape=\(3,\)"),
    (torch.zeros(3), {"shape": (4,)}, ValueError, r"X should have shape \(4,\); got X.shape=\(3,\)"),
    (torch.zeros(3), {"like": torch.zeros(1, dtype=torch.float64)}, TypeError, "dtype and device of the other inputs"),
    (torch.tensor([1.0, float("nan")]), {"finite": True}, ValueError, "X should be finite"),
])
def test_a_wrong_tensor_is_named_with_what_it_should_be(x, options, error, message):
    with pytest.raises(error, match=message):
        check_tensor(x, name="X", **options)


def test_the_file_names_no_package_but_numpy():
    text = (Path(__file__).parents[2] / "geodl_ref" / "_validation.py").read_text()
    assert not re.search(r"torch|scipy|sympy|sklearn", text)
