"""The worker: all of geodl that runs inside the sandbox, next to the student's code.

This folder is the trust boundary. The sandbox backends bind (or copy) it whole, and nothing
else of the grader, as the package ``worker``; ``warden.py`` is its main script. It holds no
check, no reference solution and no verdict, and imports only the standard library, numpy,
msgpack and, on first need, torch and sympy (``tests/graders/worker/test_boundary.py`` holds
it to that):

* :mod:`.warden` — one per sandbox: preloads, forks a session per submission, cleans up after it;
* :mod:`.session` — the forked child that imports the student's modules and answers calls;
* :mod:`.wire` — the plain-data codec and framing both sides speak.
"""
