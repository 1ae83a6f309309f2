# target: ch06/convmat.py
# mode: replace
"""A module whose import never finishes."""
while True:
    pass
