"""Public self-check of ch06: Artificial neural networks and backpropagation.

Run ``pytest ch06`` in the folder that holds ch06/ (or ``geodl check ch06``). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
from graders.cli.selfcheck import public_tests

public_tests("ch06", __file__, globals())
