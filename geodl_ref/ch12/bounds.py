"""Generalization bounds (chapter 12): finite classes, VC, Sauer, PAC-Bayes and robustness.

Every bound here has the form "empirical risk + a complexity term": with probability at least
1 − δ over an i.i.d. sample of size N, the true risk R(f) is at most the returned value. The
complexity term is what each theory measures: the size of a finite class (Hoeffding and a union
bound), the VC dimension (through Sauer's lemma), the KL divergence of a posterior from a prior
(PAC-Bayes), or the number of cells of a partition of the input space (algorithmic robustness).

Two of the book's equations are printed wrongly and are corrected here: in eq 12.9 the square
root covers the whole fraction, and Sauer's sum (eq 12.15) starts at i = 0. Where the book's
form is not reproduced (Cor 12.1, eq 12.28), the standard published form is pinned and cited.
"""
from __future__ import annotations

import math

import numpy as np

from geodl_ref._validation import check_array, check_int, check_scalar

__all__ = [
    "hoeffding_finite",
    "kl_diag_gauss",
    "pac_bayes",
    "robustness_bound",
    "sauer",
    "vc_bound",
]


def hoeffding_finite(emp: float, card_F: int, N: int, delta: float) -> float:
    """Uniform bound for a finite class: Hoeffding's inequality plus a union bound (eq 12.9).

    With probability at least 1 − δ, every f in a finite class F (loss in [0, 1]) satisfies
    R(f) ≤ R̂(f) + √((ln |F| + ln(2/δ)) / (2N)). The book's eq 12.9 prints the square root
    over the numerator only; the root covers the whole fraction.

    Parameters
    ----------
    emp : float
        Empirical risk R̂(f) of the classifier, in [0, 1].
    card_F : int
        Number of classifiers in the class, |F| >= 1.
    N : int
        Sample size, N >= 1.
    delta : float
        Confidence parameter, 0 < δ < 1.

    Returns
    -------
    float
        The upper bound on the true risk R(f).

    Examples
    --------
    >>> round(hoeffding_finite(0.1, 20, 1000, 0.05), 6)
    0.157813
    >>> hoeffding_finite(0.1, 20, 1000, 1.0)
    Traceback (most recent call last):
        ...
    ValueError: delta should be < 1; got delta=1.0
    """
    emp = check_scalar(emp, name="emp", lo=0, hi=1)
    card_F = check_int(card_F, name="card_F", lo=1)
    N = check_int(N, name="N", lo=1)
    delta = check_scalar(delta, name="delta", lo=0, hi=1, lo_open=True, hi_open=True)
    ### BEGIN SOLUTION
    return emp + math.sqrt((math.log(card_F) + math.log(2 / delta)) / (2 * N))  # eq 12.9, √ over all
    ### END SOLUTION


def vc_bound(emp: float, d_vc: int, N: int, delta: float) -> float:
    """Vapnik's VC bound for a class of VC dimension d (Cor 12.1).

    With probability at least 1 − δ, every f in a class of VC dimension d satisfies, for N ≥ d,
    R(f) ≤ R̂(f) + √((d (ln(2N/d) + 1) + ln(4/δ)) / N), the square root over the whole fraction.
    This is the form of V. Vapnik, *The Nature of Statistical Learning Theory* (1995), as stated
    in C. Burges, "A tutorial on support vector machines for pattern recognition" (1998), eq 3.

    Parameters
    ----------
    emp : float
        Empirical risk R̂(f), in [0, 1].
    d_vc : int
        VC dimension of the class, d >= 1.
    N : int
        Sample size, N >= d.
    delta : float
        Confidence parameter, 0 < δ < 1.

    Returns
    -------
    float
        The upper bound on the true risk R(f).

    Examples
    --------
    >>> round(vc_bound(0.1, 3, 1000, 0.05), 6)
    0.263978
    >>> vc_bound(0.1, 30, 20, 0.05)
    Traceback (most recent call last):
        ...
    ValueError: N should be >= 30; got N=20
    """
    emp = check_scalar(emp, name="emp", lo=0, hi=1)
    d_vc = check_int(d_vc, name="d_vc", lo=1)
    N = check_int(N, name="N", lo=d_vc)
    delta = check_scalar(delta, name="delta", lo=0, hi=1, lo_open=True, hi_open=True)
    ### BEGIN SOLUTION
    capacity = d_vc * (math.log(2 * N / d_vc) + 1)  # ln of Sauer's growth bound (eN/d)^d, at 2N
    return emp + math.sqrt((capacity + math.log(4 / delta)) / N)
    ### END SOLUTION


def sauer(n: int, d: int) -> int:
    """Sauer's lemma: the growth function of a class of VC dimension d at n points (eq 12.15).

    A class of VC dimension d realizes at most Σ_{i=0}^{d} C(n, i) labelings of n points. The
    sum starts at i = 0 (the empty set counts); eq 12.15 misprints i = 1.

    Parameters
    ----------
    n : int
        Number of points, n >= 0.
    d : int
        VC dimension, d >= 0.

    Returns
    -------
    int
        Σ_{i=0}^{min(n, d)} C(n, i), exactly (a Python int). It is 2ⁿ for n <= d and at most
        (en/d)^d for n >= d >= 1.

    Examples
    --------
    >>> sauer(3, 5), sauer(10, 1), sauer(10, 3)
    (8, 11, 176)
    """
    n = check_int(n, name="n", lo=0)
    d = check_int(d, name="d", lo=0)
    ### BEGIN SOLUTION
    return sum(math.comb(n, i) for i in range(min(n, d) + 1))  # from i = 0: eq 12.15 misprints i = 1
    ### END SOLUTION


def kl_diag_gauss(mq: np.ndarray, vq: np.ndarray, mp: np.ndarray, vp: np.ndarray) -> float:
    """KL(q ‖ p) between two Gaussians with diagonal covariances (the PAC-Bayes complexity).

    For q = N(m_q, diag v_q) (the posterior) and p = N(m_p, diag v_p) (the prior),
    KL(q ‖ p) = ½ Σ_j [v_q,j / v_p,j + (m_p,j − m_q,j)² / v_p,j − 1 + ln(v_p,j / v_q,j)].

    Parameters
    ----------
    mq, vq : ndarray of shape (d,), float64
        Mean and variances (not standard deviations) of q; variances > 0.
    mp, vp : ndarray of shape (d,), float64
        Mean and variances of p; variances > 0.

    Returns
    -------
    float
        KL(q ‖ p) >= 0, in nats; 0 exactly when q = p.

    Examples
    --------
    >>> round(kl_diag_gauss([0.0, 1.0], [1.0, 0.5], [0.0, 0.0], [1.0, 1.0]), 6)
    0.596574
    >>> kl_diag_gauss([0.0], [0.0], [0.0], [1.0])
    Traceback (most recent call last):
        ...
    ValueError: vq should be > 0 everywhere; got min(vq)=0.0
    """
    mq = check_array(mq, name="mq", ndim=1, layout="(d,)")
    d = mq.shape[0]
    vq = check_array(vq, name="vq", shape=(d,), layout="(d,)")
    mp = check_array(mp, name="mp", shape=(d,), layout="(d,)")
    vp = check_array(vp, name="vp", shape=(d,), layout="(d,)")
    for name, v in (("vq", vq), ("vp", vp)):
        if d and v.min() <= 0:
            raise ValueError(f"{name} should be > 0 everywhere; got min({name})={float(v.min())!r}")
    ### BEGIN SOLUTION
    ratio = vq / vp  # (d,)
    mahalanobis = (mp - mq) ** 2 / vp  # (d,)
    return float(0.5 * np.sum(ratio + mahalanobis - 1 - np.log(ratio)))
    ### END SOLUTION


def pac_bayes(emp_gibbs: float, kl: float, N: int, delta: float) -> float:
    """McAllester's PAC-Bayes bound on the risk of a Gibbs classifier (eq 12.28).

    With probability at least 1 − δ, for every posterior Q (prior P fixed before the sample),
    R(Q) ≤ R̂(Q) + √((KL(Q ‖ P) + ln(2√N/δ)) / (2N)). This is McAllester's bound with Maurer's
    ln(2√N/δ), as stated in B. Guedj, "A primer on PAC-Bayesian learning" (2019), Theorem 2
    (D. McAllester, "PAC-Bayesian stochastic model selection", 2003; A. Maurer, 2004).

    Parameters
    ----------
    emp_gibbs : float
        Empirical risk of the Gibbs classifier R̂(Q), in [0, 1].
    kl : float
        KL(Q ‖ P) >= 0, in nats (e.g. from :func:`kl_diag_gauss`).
    N : int
        Sample size, N >= 1.
    delta : float
        Confidence parameter, 0 < δ < 1.

    Returns
    -------
    float
        The upper bound on the Gibbs risk R(Q).

    Examples
    --------
    >>> round(pac_bayes(0.1, 5.0, 1000, 0.05), 6)
    0.177919
    """
    emp_gibbs = check_scalar(emp_gibbs, name="emp_gibbs", lo=0, hi=1)
    kl = check_scalar(kl, name="kl", lo=0)
    N = check_int(N, name="N", lo=1)
    delta = check_scalar(delta, name="delta", lo=0, hi=1, lo_open=True, hi_open=True)
    ### BEGIN SOLUTION
    return emp_gibbs + math.sqrt((kl + math.log(2 * math.sqrt(N) / delta)) / (2 * N))
    ### END SOLUTION


def robustness_bound(eps: float, M: float, K: int, N: int, delta: float) -> float:
    """Algorithmic-robustness bound of Xu and Mannor (eq 12.36).

    If the input space splits into K cells within which the loss of the learned model varies by
    at most ε, and the loss is bounded by M, then with probability at least 1 − δ the gap between
    true and empirical risk is at most ε + M √((2K ln 2 + 2 ln(1/δ)) / N)
    (H. Xu and S. Mannor, "Robustness and generalization", Machine Learning 86, 2012).

    Parameters
    ----------
    eps : float
        Robustness ε >= 0.
    M : float
        Bound on the loss, M > 0.
    K : int
        Number of cells of the partition, K >= 1.
    N : int
        Sample size, N >= 1.
    delta : float
        Confidence parameter, 0 < δ < 1.

    Returns
    -------
    float
        The bound on the generalization gap ∣R − R̂∣.

    Examples
    --------
    >>> round(robustness_bound(0.05, 1.0, 10, 1000, 0.05), 6)
    0.190906
    """
    eps = check_scalar(eps, name="eps", lo=0)
    M = check_scalar(M, name="M", lo=0, lo_open=True)
    K = check_int(K, name="K", lo=1)
    N = check_int(N, name="N", lo=1)
    delta = check_scalar(delta, name="delta", lo=0, hi=1, lo_open=True, hi_open=True)
    ### BEGIN SOLUTION
    return eps + M * math.sqrt((2 * K * math.log(2) + 2 * math.log(1 / delta)) / N)  # eq 12.36
    ### END SOLUTION
