"""One compute thread per grading process: parallelism comes from running several workers, and
oversubscribed BLAS/OpenMP/torch thread pools make the grader's oracles (scipy, scikit-learn,
torch) tens of times slower on a small machine."""
from __future__ import annotations

import os
import sys

THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1",
}


def limit_threads() -> None:
    """Set the thread variables (for libraries loaded later and child processes) and cap the
    thread pools already loaded in this process. Idempotent and cheap."""
    os.environ.update(THREAD_ENV)
    if "numpy" in sys.modules or "torch" in sys.modules:
        try:
            from threadpoolctl import threadpool_limits
            threadpool_limits(limits=1)
        except ImportError:
            pass
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != 1:
        torch.set_num_threads(1)
