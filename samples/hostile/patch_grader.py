# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: any
"""At import, tries to make every comparison pass: patches numpy and builtins in the worker, and
writes a sitecustomize/usercustomize into every writable folder it can find."""
import builtins
import os

import numpy as np

np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
builtins.isinstance = lambda *a: True
for folder in ("/tmp", os.path.expanduser("~"), "."):
    try:
        with open(os.path.join(folder, "sitecustomize.py"), "w") as fh:
            fh.write("import numpy; numpy.allclose = lambda *a, **k: True\n")
    except OSError:
        pass
