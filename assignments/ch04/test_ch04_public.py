"""Public self-check of ch04: RKHS and the representer theorem.

Run ``pytest ch04`` in the folder that holds ch04/ (or ``geodl check ch04``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch04", __file__, globals())
