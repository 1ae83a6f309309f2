# target: ch06/convmat.py
# mode: replace
# attacks: ch06.conv_as_matrix
# outcome: loses-points
# statuses: timeout student_error
# message: could not import ch06/convmat.py: exceeded the 3 s time limit
"""A module whose import never finishes."""
while True:
    pass
