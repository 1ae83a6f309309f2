"""Book fixtures of chapter 3 (the same tables as tests/geodl_ref/test_ch03.py)."""
from __future__ import annotations

import numpy as np

# Book ex 3.2 (age -> blood pressure, with a row of ones). The book's table is not available to
# us: this is a RECONSTRUCTION with integer data whose exact OLS solution is the book's printed
# answer β = (46.441379, 1.539847) = (121212/2610, 4019/2610).
EX32_AGE = np.array([29.0, 31.0, 36.0, 41.0, 58.0, 61.0, 68.0])
EX32_BP = np.array([86.0, 102.0, 104.0, 104.0, 131.0, 146.0, 151.0])
EX32_BETA = np.array([46.441379, 1.539847])
EX32_BETA_EXACT = np.array([121212 / 2610, 4019 / 2610])

# Book ex 3.3 (launch temperature vs damaged/undamaged O-rings): the Challenger O-ring table
# (23 flights, 6 field O-rings each; Dalal, Fowlkes & Hoadley 1989) in OpenIntro's
# damaged/undamaged form. t = fraction damaged, w = 6 O-rings per flight. The answer was computed
# with scipy (trust-exact Newton) and agrees with OpenIntro's published fit (11.6630, −0.2162).
EX33_TEMP = np.array([53, 57, 58, 63, 66, 67, 67, 67, 68, 69, 70, 70,
                      70, 70, 72, 73, 75, 75, 76, 76, 78, 79, 81], dtype=float)
EX33_DAMAGED = np.array([5, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0,
                         1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=float)
EX33_RINGS = 6.0
EX33_BETA0, EX33_BETA1 = 11.6629897, -0.2162337
