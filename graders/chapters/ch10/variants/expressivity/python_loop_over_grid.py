"""A Python loop over the grid points, one activation_pattern call per point (right counts, far too slow at 801²)."""

from ch10.partition import activation_pattern  # noqa: E402  (the student's own per-point pattern)


def count_regions_2d(params, lo, hi, grid):
    axis = np.linspace(lo, hi, grid)
    patterns = set()
    for y in axis:
        for x in axis:
            patterns.add(activation_pattern(params, np.array([x, y])))
    return len(patterns)
