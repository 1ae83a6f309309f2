# target: ch06/variational.py
# mode: replace
# attacks: ch06.variational_bp
# outcome: loses-points
# statuses: student_error
# message: could not import ch06/variational.py: SyntaxError: expected .:. \(line \d+\)
"""A module that does not parse."""

def local_ls_update(delta, o_prev)
    return -delta
