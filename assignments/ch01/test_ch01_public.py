"""Public self-check of ch01: Mathematical preliminaries.

Run ``pytest ch01`` in the folder that holds ch01/ (or ``geodl check ch01``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch01", __file__, globals())
