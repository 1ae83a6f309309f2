"""Chapter 7's layer arithmetic as symbolic answers: a convolution's output size and parameter
count (§7.2), and the receptive field of a stack of strided convolutions (§7.3).

Every function returns a sympy expression written with the module-level symbols below (keep their
names: the grader reads your formula with exactly these names and nothing else). You may also
return the formula as a string, e.g. ``"C_out*k**2"``: write products with ``*`` and powers with
``**``.

The convolution is PyTorch's (cross-correlation, eq 7.3): an input of height ``H`` with ``C_in``
channels, ``C_out`` filters of size ``k × k``, stride ``s``, zero padding ``p`` on each side and
dilation ``d``. Sizes are integers; the formulas are written for the case where every division is
exact (the floor of the general output size then changes nothing), and the grader compares them as
functions of real variables.
"""
from __future__ import annotations

import sympy as sp

H = sp.Symbol("H", positive=True)               # input height (the width obeys the same formula)
k = sp.Symbol("k", positive=True)               # kernel size
s = sp.Symbol("s", positive=True)               # stride
p = sp.Symbol("p", nonnegative=True)            # zero padding on each side
d = sp.Symbol("d", positive=True)               # dilation
C_in = sp.Symbol("C_in", positive=True)         # input channels
C_out = sp.Symbol("C_out", positive=True)       # output channels (filters)
L = sp.Symbol("L", positive=True)               # number of stacked layers


def conv_output_size():
    """The output height ``H_o = (H + 2p − d(k − 1) − 1)/s + 1`` (exact division).

    A dilated kernel spans ``d(k − 1) + 1`` input rows; it fits at ``H + 2p − d(k − 1) − 1``
    further positions, of which every ``s``-th is taken, plus the first. In general the division
    is floored. Variables: ``H``, ``k``, ``s``, ``p``, ``d``.

    Returns
    -------
    sympy expression in H, k, s, p, d

    Examples
    --------
    >>> conv_output_size().subs({H: 224, k: 3, s: 1, p: 1, d: 1})
    224
    """
    ### BEGIN SOLUTION
    return (H + 2 * p - d * (k - 1) - 1) / s + 1           # ⌊·⌋ dropped: s divides exactly
    ### END SOLUTION


def conv_param_count():
    """The parameters of a ``k × k`` convolution layer with bias: ``C_out·C_in·k² + C_out``.

    Each of the ``C_out`` filters has ``C_in·k²`` weights and one bias. Variables: ``C_in``,
    ``C_out``, ``k``.

    Returns
    -------
    sympy expression in C_in, C_out, k

    Examples
    --------
    >>> conv_param_count().subs({C_in: 3, C_out: 64, k: 3})
    1792
    """
    ### BEGIN SOLUTION
    return C_out * C_in * k**2 + C_out                      # weights + one bias per filter
    ### END SOLUTION


def receptive_field_stack():
    """The receptive field of ``L`` stacked ``k × k`` convolutions of stride ``s`` (no dilation).

    The recursion ``r ← r + (k − 1)·j``, ``j ← j·s`` from ``r = j = 1`` sums a geometric series:
    ``r_L = 1 + (k − 1)(s^L − 1)/(s − 1)`` for ``s ≠ 1`` (for ``s = 1`` its limit ``1 + L(k − 1)``).
    Variables: ``L``, ``k``, ``s`` (the grader samples ``s > 1``).

    Returns
    -------
    sympy expression in L, k, s

    Examples
    --------
    >>> receptive_field_stack().subs({L: 3, k: 3, s: 2})
    15
    """
    ### BEGIN SOLUTION
    return 1 + (k - 1) * (s**L - 1) / (s - 1)               # Σ_{l<L} (k − 1)s^l
    ### END SOLUTION
