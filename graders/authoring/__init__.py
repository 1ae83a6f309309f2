"""Instructor tooling: stubs and solutions generated from ``geodl_ref``, releases, wrong variants,
and the ``validate`` gate that proves every grader."""
