"""Column-stacking VEC and the Kronecker product (Def 1.14, Def 1.15), written with numpy indexing only.

``vec`` stacks the columns of a matrix (Fortran order), so that the book's identity
``VEC(CAB) = (Bᵀ ⊗ C) VEC(A)`` holds; ``kron`` builds ``A ⊗ B = [a_ij B]`` by broadcasting, without
numpy's own Kronecker routine (which the exercise forbids). Note that ``A ⊗ B ≠ B ⊗ A`` in general:
the commutativity listed in the book's Lemma 1.2 is a misprint.
"""
from __future__ import annotations

import numpy as np  # noqa: F401  (the doctests use it, and so does the student's code)

from geodl_ref._validation import check_array, check_int


def vec(A):
    """Stack the columns of ``A`` into one vector (Def 1.15).

    Parameters
    ----------
    A : ndarray of shape (m, n), float64

    Returns
    -------
    ndarray of shape (m*n,), float64
        ``[A[:, 0]; A[:, 1]; ...; A[:, n-1]]``, i.e. ``vec(A)[i + j*m] == A[i, j]`` (column-major, not
        numpy's default row-major ``A.reshape(-1)``).

    Examples
    --------
    >>> vec(np.array([[1., 2.], [3., 4.]]))
    array([1., 3., 2., 4.])
    """
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    ### BEGIN SOLUTION
    return A.T.reshape(-1).copy()                         # (m*n,)  columns one after another
    ### END SOLUTION


def unvec(v, m, n):
    """Inverse of :func:`vec`: refill an ``m × n`` matrix column by column.

    Parameters
    ----------
    v : ndarray of shape (m*n,), float64
    m, n : int >= 1
        The number of rows and of columns of the result.

    Returns
    -------
    ndarray of shape (m, n), float64
        The matrix ``A`` with ``vec(A) == v``.

    Examples
    --------
    >>> unvec(np.array([1., 3., 2., 4.]), 2, 2)
    array([[1., 2.],
           [3., 4.]])
    """
    m = check_int(m, name="m", lo=1)
    n = check_int(n, name="n", lo=1)
    v = check_array(v, name="v", shape=(m * n,), layout="(m*n,)")
    ### BEGIN SOLUTION
    return v.reshape(n, m).T.copy()                       # (m, n)  row j of the (n, m) view is column j
    ### END SOLUTION


def kron(A, B):
    """The Kronecker product ``A ⊗ B = [a_ij B]`` (Def 1.14).

    Parameters
    ----------
    A : ndarray of shape (m, n), float64
    B : ndarray of shape (p, q), float64

    Returns
    -------
    ndarray of shape (m*p, n*q), float64
        Block ``(i, j)`` (rows ``i*p:(i+1)*p``, columns ``j*q:(j+1)*q``) is ``A[i, j] * B``.

    Examples
    --------
    >>> kron(np.array([[1., 2.]]), np.array([[1.], [10.]]))
    array([[ 1.,  2.],
           [10., 20.]])
    """
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    B = check_array(B, name="B", ndim=2, layout="(p, q)")
    ### BEGIN SOLUTION
    (m, n), (p, q) = A.shape, B.shape
    blocks = A[:, None, :, None] * B[None, :, None, :]    # (m, p, n, q)  [i, k, j, l] = a_ij b_kl
    return blocks.reshape(m * p, n * q)                   # (m*p, n*q)    row i*p+k, column j*q+l
    ### END SOLUTION
