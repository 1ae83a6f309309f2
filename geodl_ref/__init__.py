"""geodl_ref: the reference implementations of the exercises of *Geometry of Deep Learning*.

``geodl_ref/chNN/<module>.py`` mirrors the student's ``chNN/<module>.py``. Function bodies carry
nbgrader solution markers (``### BEGIN SOLUTION`` / ``### END SOLUTION``); the student stubs are
generated from these files by replacing each marked region. This package is the trusted answer
key of the graders and is tested against independent oracles (torch autograd, scikit-learn, POT,
scipy, networkx) under ``tests/geodl_ref/``.
"""
