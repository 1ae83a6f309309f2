"""Public self-check of ch03: Linear, logistic and kernel regression.

Run ``pytest ch03`` in the folder that holds ch03/ (or ``geodl check ch03``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch03", __file__, globals())
