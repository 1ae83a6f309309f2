"""Public self-check of ch02: Linear and kernel classifiers.

Run ``pytest ch02`` in the folder that holds ch02/ (or ``geodl check ch02``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch02", __file__, globals())
