"""ch08.wl_test — 1-WL colour refinement (eqs 8.12–8.13) graded by the partition it induces (never
by colour names) against networkx's Weisfeiler–Lehman subgraph hashes, its equivariance, initial
colours and rounds, and the WL test on a jointly refined disjoint union (C₆ vs 2·C₃, P₄ vs K₁,₃)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Bool, Exercise, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch08._graphs import (
    cycle,
    disjoint_union,
    from_edges,
    moving_permutation,
    random_graph,
    random_tree,
    relabelled,
    rewired,
    star,
)

exercise = Exercise(module="ch08.wl", functions=("wl_refine", "wl_test"),
                    forbidden=("torch", "scipy", "sympy"), title="The Weisfeiler–Lehman test")


def _classes(colours: np.ndarray) -> np.ndarray:
    """The partition of a colouring, named canonically: class k is the k-th colour met in node order."""
    seen: dict[int, int] = {}
    return np.array([seen.setdefault(int(c), len(seen)) for c in colours], dtype=np.int64)


def _show(classes: np.ndarray) -> str:
    """A partition as its list of classes: [[0, 3], [1, 2]]."""
    return str([np.flatnonzero(classes == k).tolist() for k in range(int(classes.max()) + 1)])


def _same_partition(got, want: np.ndarray, what: str) -> None:
    """Fail unless the colourings ``got`` (the student's) and ``want`` induce the same partition."""
    got_classes, want_classes = _classes(got), _classes(want)
    expect(np.array_equal(got_classes, want_classes),
           f"{what} should split the nodes into {_show(want_classes)}; got the classes {_show(got_classes)} "
           f"(colours {np.asarray(got).tolist()})")


def _refine(ctx, A: np.ndarray, **kwargs) -> np.ndarray:
    """The student's wl_refine(A, **kwargs): n integer colours."""
    colours = ctx.call("wl_refine", A, **kwargs, returns=Array((len(A),), label=f"wl_refine(A, {kwargs})"))
    expect(np.all(colours == np.round(colours)), f"wl_refine should return integer colours; got {colours.tolist()}")
    return colours


@oracle
def _nx_stable_partition(A: np.ndarray, init: np.ndarray) -> np.ndarray:
    """The partition of networkx's WL subgraph hashes after n iterations (stable by then), the
    nodes first coloured ``init`` (single digits, so that networkx's string labels stay unambiguous)."""
    import networkx as nx

    n = len(A)
    G = nx.from_numpy_array(A)
    nx.set_node_attributes(G, {i: str(int(init[i])) for i in range(n)}, "colour")
    hashes = nx.weisfeiler_lehman_subgraph_hashes(G, node_attr="colour", iterations=n)
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(hashes[v][-1], len(seen)) for v in range(n)], dtype=np.int64)


def _thirty_graphs() -> list[np.ndarray]:
    """Trees, G(n, p) graphs, and paths and cycles with a pendant, 3 to 10 nodes."""
    graphs = []
    for k in range(30):
        r = rng(830 + k)
        n = 3 + k % 8
        if k % 3 == 0:
            graphs.append(random_tree(r, n))
        elif k % 3 == 1:
            graphs.append(random_graph(r, n, 0.35))
        else:
            tail = cycle(n) if k % 2 else from_edges(n, [(i, i + 1) for i in range(n - 1)])
            graphs.append(disjoint_union(tail, from_edges(1, [])) | from_edges(n + 1, [(n, int(r.integers(n)))]))
    return graphs


# ---- wl_refine -----------------------------------------------------------------------------------

@exercise.check(points=4)
def refine_partition_matches_networkx(ctx):
    """On 30 graphs (trees, random graphs, paths and cycles with a pendant node), the partition of
    wl_refine(A) is the stable partition of networkx's weisfeiler_lehman_subgraph_hashes: colours
    split by (own colour, multiset of neighbour colours) until nothing splits."""
    graphs = _thirty_graphs()
    answers = ctx.map("wl_refine", [(A,) for A in graphs], returns=Array(ndim=1))
    for k, (A, got) in enumerate(zip(graphs, answers)):
        ctx.report_call("wl_refine", A)
        expect(got.shape == (len(A),), f"wl_refine(A) should return {len(A)} colours; got shape {got.shape}")
        _same_partition(got, _nx_stable_partition(A, np.zeros(len(A), dtype=np.int64)),
                        f"wl_refine(A) for graph #{k}, A = {A.tolist()}")


@exercise.check(points=2, given={"n": st.integers(4, 10), "seed": seeds()}, max_examples=15)
def refine_respects_initial_colours(ctx, n, seed):
    """wl_refine(A, init) starts from the colours init: its partition is networkx's stable WL
    partition from those colours, and refines the partition of init (a node keeps its own colour
    in every round)."""
    r = rng(seed)
    A = random_graph(r, n, 0.3)
    init = r.integers(0, 3, size=n)
    got = _refine(ctx, A, init=init)
    _same_partition(got, _nx_stable_partition(A, init), f"wl_refine(A, init={init.tolist()}) for A = {A.tolist()}")


@exercise.check(points=1)
def refine_keeps_initial_classes_without_edges(ctx):
    """Without edges nothing splits or merges: wl_refine(0, init) has the partition of init, and
    wl_refine(0) one class."""
    empty = np.zeros((5, 5), dtype=np.int64)
    init = np.array([2, 0, 2, 1, 0])
    _same_partition(_refine(ctx, empty, init=init), init, f"wl_refine(zeros((5, 5)), init={init.tolist()})")
    _same_partition(_refine(ctx, empty), np.zeros(5), "wl_refine(zeros((5, 5)))")


@exercise.check(points=2, given={"n": st.integers(4, 10), "seed": seeds()}, max_examples=15)
def refine_is_equivariant(ctx, n, seed):
    """Relabelling commutes with refinement: node perm[i] of B = P A Pᵀ gets the class of node i of A
    (the partition of wl_refine(B)[perm] is that of the reference's wl_refine(A))."""
    r = rng(seed)
    A = random_tree(r, n) | random_graph(r, n, 0.15)
    perm = moving_permutation(r, n)
    got = _refine(ctx, relabelled(A, perm))
    _same_partition(got[perm], ctx.ref.wl_refine(A), f"wl_refine(B)[perm] for B = A relabelled by perm = "
                                                      f"{perm.tolist()}, A = {A.tolist()}")


@exercise.check(points=1, given={"n": st.integers(5, 10), "seed": seeds()}, max_examples=10)
def refine_rounds_and_stability(ctx, n, seed):
    """max_iter counts rounds: max_iter=0 gives the initial partition (one class), max_iter=1 the
    degree classes, max_iter=2 the reference's two-round partition, and n rounds suffice (max_iter=n
    gives the stable partition)."""
    r = rng(seed)
    A = random_tree(r, n)
    for rounds in (0, 1, 2, n):
        _same_partition(_refine(ctx, A, max_iter=rounds), ctx.ref.wl_refine(A, max_iter=rounds),
                        f"wl_refine(A, max_iter={rounds}) for the tree A = {A.tolist()}")


@exercise.check(points=2, visibility="hidden")
def refine_larger_graphs(ctx):
    """On graphs of 20 to 40 nodes (sparse random graphs and trees, with and without initial
    colours), the partition is networkx's."""
    for k, n in enumerate((20, 30, 40)):
        r = rng(840 + k)
        A = random_tree(r, n) if k % 2 else random_graph(r, n, 3 / n)
        init = r.integers(0, 2, size=n)
        _same_partition(_refine(ctx, A), _nx_stable_partition(A, np.zeros(n, dtype=np.int64)),
                        f"wl_refine(A) on a {n}-node graph")
        _same_partition(_refine(ctx, A, init=init), _nx_stable_partition(A, init),
                        f"wl_refine(A, init) on a {n}-node graph")


# ---- wl_test -------------------------------------------------------------------------------------

def _named_pairs() -> list[tuple[str, np.ndarray, np.ndarray]]:
    K4 = np.ones((4, 4), dtype=np.int64) - np.eye(4, dtype=np.int64)
    K33 = from_edges(6, [(i, j) for i in range(3) for j in range(3, 6)])
    P4 = from_edges(4, [(0, 1), (1, 2), (2, 3)])
    return [
        ("C6 vs two triangles", cycle(6), disjoint_union(cycle(3), cycle(3))),
        ("P4 vs K_{1,3}", P4, star(3)),
        ("C4 vs K4 (regular, different degrees)", cycle(4), K4),
        ("C6 vs K_{3,3} (regular, different degrees)", cycle(6), K33),
        ("K_{1,4} vs C4 ∪ K1 (cospectral)", star(4), disjoint_union(cycle(4), from_edges(1, []))),
        ("P4 vs a relabelled P4", P4, relabelled(P4, np.array([2, 0, 3, 1]))),
        ("C4 vs C5 (different sizes)", cycle(4), cycle(5)),
    ]


@exercise.check(points=3)
def wl_test_on_named_pairs(ctx):
    """wl_test is True for C₆ vs two triangles (not isomorphic, but 1-WL cannot tell: the WL
    limit) and for a relabelled P₄; False for P₄ vs K₁,₃, for C₄ vs K₄ and C₆ vs K₃,₃ (regular
    graphs of different degrees: refining each graph alone gives one class in both, so the two
    must be refined together), for K₁,₄ vs C₄ ∪ K₁, and for graphs of different sizes."""
    pairs = _named_pairs()
    want = [True, False, False, False, False, True, False]
    got = ctx.map("wl_test", [(A, B) for _, A, B in pairs], returns=Bool())
    for (name, A, B), g, w in zip(pairs, got, want):
        expect(g == w, f"wl_test should be {w} for {name} (A = {A.tolist()}, B = {B.tolist()}); got {g}")


@exercise.check(points=3, given={"n": st.integers(3, 10), "seed": seeds()}, max_examples=20)
def wl_test_accepts_relabellings_and_rejects_what_refinement_separates(ctx, n, seed):
    """wl_test(A, P A Pᵀ) is True; for a degree-preserving rewiring of A (relabelled), wl_test is
    the reference's verdict (False whenever the jointly refined histograms differ)."""
    r = rng(seed)
    A = random_graph(r, n, 0.4)
    B = relabelled(A, moving_permutation(r, n))
    C = relabelled(rewired(r, A, 2), moving_permutation(r, n))
    got_same, got_other = ctx.map("wl_test", [(A, B), (A, C)], returns=Bool())
    expect(got_same, f"wl_test(A, B) should be True for B = a relabelling of A = {A.tolist()}; got False")
    want_other = ctx.ref.wl_test(A, C)
    expect(got_other == want_other, f"wl_test(A, C) should be {want_other} for A = {A.tolist()} and C = "
                                    f"{C.tolist()} (same degrees); got {got_other}")
