"""Random networks for the chapter-6 checks, built in the grader from hypothesis-drawn sizes."""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring.checks.strategies import distinct_dims, rng, seeds
from graders.authoring.oracles import oracle


@dataclasses.dataclass(frozen=True)
class Net:
    """A fully connected network ``dims[0] → ... → dims[-1]`` with ``n`` samples (columns)."""

    dims: tuple[int, ...]
    n: int
    seed: int
    act: str = "relu"
    last_linear: bool = False

    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        g = rng(self.seed)
        return [(g.normal(0, 1 / np.sqrt(d_in), (d_out, d_in)), g.normal(0, 0.5, d_out))  # (d_l, d_{l−1}), (d_l,)
                for d_in, d_out in zip(self.dims[:-1], self.dims[1:])]

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        g = rng(self.seed + 1)
        return g.normal(size=(self.dims[0], self.n)), g.normal(size=(self.dims[-1], self.n))  # (d_0, N), (d_L, N)


@st.composite
def nets(draw, *, layers=(1, 3), acts=("relu",), last_linear=(False,)) -> Net:
    """Networks whose layer widths and sample count are pairwise different (so a transposed
    result cannot pass): e.g. 5 → 7 → 3 → 4 with N = 6."""
    depth = draw(st.integers(*layers))
    sizes = draw(distinct_dims(depth + 2, 1, 9))
    return Net(dims=sizes[:-1], n=sizes[-1], seed=draw(seeds()), act=draw(st.sampled_from(acts)),
               last_linear=draw(st.sampled_from(last_linear)))


@oracle
def pre_activations(params: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray) -> list[np.ndarray]:
    """Every layer's g = W o + b under ReLU (for keeping finite differences off the kinks)."""
    o, gs = X, []
    for W, b in params:
        g = W @ o + b[:, None]
        gs.append(g)
        o = np.maximum(g, 0)
    return gs
