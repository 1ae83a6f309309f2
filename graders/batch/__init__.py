"""Grading a class: :mod:`.discovery` (the submissions, each read once), :mod:`.preload` (what the
warm workers import), :mod:`.run` (the batch: results committed as they come), the executors
:mod:`.local` (a pool of grading processes) and :mod:`.dask_cluster`, with what runs in a grading
process (:mod:`.grading_process`), the results store (:mod:`.store`) and nbgrader's gradebook
(:mod:`.gradebook`)."""
