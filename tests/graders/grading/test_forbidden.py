"""graders/forbidden.py: static detection of forbidden imports and calls."""
from __future__ import annotations

import pytest

from graders.grading.forbidden import find_forbidden, local_imports, with_twins


@pytest.mark.parametrize("source", [
    "import numpy as np\nnp.kron(a, b)\n",
    "import numpy\nnumpy.kron(a, b)\n",
    "from numpy import kron\n",
    "from numpy import kron as k\nk(a, b)\n",
    "import numpy as xp\nf = xp.kron\n",
    "__import__('numpy').kron\n",
])
def test_forbidden_callable_is_found(source):
    names = [f.name for f in find_forbidden(source, ("numpy.kron",), filename="m.py")]
    assert names and set(names) == {"numpy.kron"}


@pytest.mark.parametrize("source", [
    "import sklearn\n", "from sklearn.svm import SVC\n", "import sklearn.svm as s\n",
    "import importlib\nimportlib.import_module('sklearn.linear_model')\n", "__import__('sklearn')\n",
])
def test_forbidden_module_is_found(source):
    assert [f.name for f in find_forbidden(source, ("sklearn",), filename="m.py")] == ["sklearn"]


@pytest.mark.parametrize("source", [
    "import numpy as np\nnp.kronecker(a)\n", "def kron(a, b):\n    return a\nkron(1, 2)\n",
    "import numpy as np\nx = 'np.kron'\n", "import sklearnish\n",
])
def test_look_alikes_are_not_flagged(source):
    assert find_forbidden(source, ("numpy.kron", "sklearn"), filename="m.py") == []


def test_a_syntax_error_finds_nothing_and_does_not_raise():
    assert find_forbidden("def f(:\n", ("numpy.kron",), filename="m.py") == []


def test_finding_reports_file_and_line():
    finding = find_forbidden("import numpy as np\n\nnp.kron(a, b)\n", ("numpy.kron",), filename="ch01/linalg.py")[0]
    assert finding.describe("ch01.vec_kron") == ("uses numpy.kron (ch01/linalg.py line 3), "
                                                 "which ch01.vec_kron does not allow")


def test_local_imports_follow_the_chapter_package():
    source = "from ch01 import helpers\nfrom .tools import f\nimport ch01.more\nimport numpy\n"
    assert local_imports(source, "ch01") == {"ch01", "ch01.helpers", "ch01.tools", "ch01.tools.f", "ch01.more"}


def test_a_forbidden_call_forbids_its_twins_in_other_libraries():
    """numpy.kron forbidden means torch.kron and scipy.linalg.kron too, however imported."""
    forbidden = with_twins(("sklearn", "numpy.kron"))
    assert forbidden[:2] == ("sklearn", "numpy.kron") and {"torch.kron", "scipy.linalg.kron"} <= set(forbidden)
    for source, name in [("import torch\ntorch.kron(a, b)\n", "torch.kron"),
                         ("from scipy.linalg import kron\n", "scipy.linalg.kron"),
                         ("import torch as t\nk = t.kron\n", "torch.kron")]:
        assert [f.name for f in find_forbidden(source, forbidden, filename="m.py")] == [name]
    assert with_twins(("sklearn",)) == ("sklearn",)
