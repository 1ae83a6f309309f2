"""geodl graders: the grading engine and one grader spec per chapter, by side.

=================  ======================================================================
``worker/``        all that runs inside the sandbox (the trust boundary is this folder)
``sandbox/``       the backends that start a worker: bwrap, docker, process; cgroups
``grading/``       one submission: specs, the engine, check contexts, the client, results
``batch/``         a class: discovery, the local pool, Dask, the results store, the gradebook
``authoring/``     writing exercises: the check helpers, stubs, notebooks, release, validate
``report/``        feedback and exports (HTML, CSV, Gradescope, the terminal)
``cli/``           the ``geodl`` command
``chapters/``      the grader spec of each chapter, with its wrong variants
=================  ======================================================================

Importing the package has no side effects.
"""

__version__ = "0.1.0"
