"""``graders.authoring.checks.gradcheck``: central differences (exact on quadratics, O(h²) on
cubics) and Jacobians in denominator layout, J[i, j] = ∂F_j/∂x_i, of shape (n, m)."""
from __future__ import annotations

import numpy as np
import pytest

from graders.authoring.checks.gradcheck import central_difference, jacobian


def _quadratic(seed: int = 0, n: int = 4):
    g = np.random.default_rng(seed)
    A, b = g.normal(size=(n, n)), g.normal(size=n)
    return A, b, (lambda x: float(0.5 * x @ A @ x + b @ x)), (lambda x: 0.5 * (A + A.T) @ x + b)


@pytest.mark.parametrize("h", [1e-6, 1e-3, 0.5])
def test_central_difference_is_exact_on_a_quadratic_whatever_the_step(h):
    _, _, f, grad = _quadratic()
    x = np.random.default_rng(1).normal(size=4)
    np.testing.assert_allclose(central_difference(f, x, h=h), grad(x), rtol=0, atol=1e-8 if h < 1e-3 else 1e-11)


def test_central_difference_has_the_h_squared_error_on_a_cubic():
    # (f(x+h) − f(x−h))/2h = 3x² + h² for f = x³: the error term of central differences, exactly
    x, h = np.array([1.5, -2.0]), 0.1
    got = central_difference(lambda v: float(np.sum(v ** 3)), x, h=h)
    np.testing.assert_allclose(got, 3 * x ** 2 + h ** 2, rtol=1e-12)
    assert np.all(np.abs(got - 3 * x ** 2) > 0.5 * h ** 2)


def test_central_difference_keeps_the_shape_of_a_matrix_argument():
    # ∂/∂X ½‖X W‖_F² = X W Wᵀ
    g = np.random.default_rng(2)
    X, W = g.normal(size=(3, 2)), g.normal(size=(2, 5))
    got = central_difference(lambda M: float(0.5 * np.sum((M @ W) ** 2)), X)
    assert got.shape == (3, 2)
    np.testing.assert_allclose(got, X @ W @ W.T, rtol=1e-7, atol=1e-8)


def test_central_difference_of_a_known_non_polynomial_gradient():
    # f = log Σ exp(x): ∇f = softmax(x)
    x = np.array([0.3, -1.2, 2.0])
    got = central_difference(lambda v: float(np.log(np.sum(np.exp(v)))), x)
    np.testing.assert_allclose(got, np.exp(x) / np.sum(np.exp(x)), rtol=1e-7)


def test_central_difference_leaves_its_argument_unchanged_and_accepts_ints():
    x = np.array([1, 2, 3])
    seen = []
    got = central_difference(lambda v: seen.append(v.dtype) or float(v @ v), x)
    assert x.tolist() == [1, 2, 3] and x.dtype.kind == "i"
    assert set(seen) == {np.dtype(np.float64)}
    np.testing.assert_allclose(got, 2.0 * x, rtol=1e-8)


def test_central_difference_calls_f_twice_per_entry_with_one_entry_moved():
    x = np.zeros(3)
    calls = []
    central_difference(lambda v: calls.append(v.copy()) or 0.0, x, h=0.25)
    assert len(calls) == 6
    moved = [np.flatnonzero(c).tolist() for c in calls]
    assert moved == [[0], [0], [1], [1], [2], [2]]
    assert [float(c.sum()) for c in calls] == [0.25, -0.25] * 3


def test_jacobian_of_a_linear_map_is_the_transpose_in_denominator_layout():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # F: R² → R³
    J = jacobian(lambda x: A @ x, np.zeros(2))
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, A.T, rtol=1e-9)


def test_jacobian_of_a_nonlinear_map_against_the_analytic_one():
    # F(x) = (x0 x1, x0², sin x1, x0 + x2): J[i, j] = ∂F_j/∂x_i, shape (3, 4)
    def F(x):
        return np.array([x[0] * x[1], x[0] ** 2, np.sin(x[1]), x[0] + x[2]])

    x = np.array([0.7, -1.3, 2.0])
    want = np.array([
        [x[1], 2 * x[0], 0.0, 1.0],
        [x[0], 0.0, np.cos(x[1]), 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    J = jacobian(F, x)
    assert J.shape == (3, 4)
    np.testing.assert_allclose(J, want, rtol=1e-8, atol=1e-9)


def test_jacobian_flattens_matrix_arguments_and_values():
    # F(X) = X @ v for X (2, 3): n = 6 entries of X in C order, m = 2 values
    v = np.array([1.0, -2.0, 0.5])
    J = jacobian(lambda x: x.reshape(2, 3) @ v, np.ones((2, 3)))
    assert J.shape == (6, 2)
    np.testing.assert_allclose(J, np.kron(np.eye(2), v[:, None]), rtol=1e-9, atol=1e-12)
    # a matrix-valued F is flattened too: F(x) = x xᵀ, (n, n·n)
    x = np.array([1.0, 2.0])
    J = jacobian(lambda z: np.outer(z, z), x)
    assert J.shape == (2, 4)
    want = np.array([[2 * x[0], x[1], x[1], 0.0], [0.0, x[0], x[0], 2 * x[1]]])
    np.testing.assert_allclose(J, want, rtol=1e-8)


def test_the_gradient_is_the_jacobian_of_a_scalar_function():
    _, _, f, grad = _quadratic(seed=3, n=5)
    x = np.random.default_rng(4).normal(size=5)
    J = jacobian(lambda z: np.array([f(z)]), x)
    assert J.shape == (5, 1)
    np.testing.assert_allclose(J[:, 0], central_difference(f, x), rtol=1e-12)
    np.testing.assert_allclose(J[:, 0], grad(x), rtol=1e-7, atol=1e-8)
