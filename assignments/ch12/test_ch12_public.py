"""Public self-check of ch12: Generalization.

Run ``pytest ch12`` in the folder that holds ch12/ (or ``geodl check ch12``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch12", __file__, globals())
