# target: ch06/variational.py
# mode: replace
"""A module that does not parse."""

def local_ls_update(delta, o_prev)
    return -delta
