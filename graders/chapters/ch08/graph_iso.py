"""ch08.graph_iso — relabelling a graph (B[π(i), π(j)] = A[i, j]), deciding isomorphism by search
(n ≤ 8) against networkx, and the invariants of §8.2.2 (sorted degrees, edges, tr(A³)/6 triangles,
sorted spectrum), with the cospectral pair K₁,₄ / C₄ ∪ K₁ and ex 8.1."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import (
    Anything,
    Array,
    Bool,
    Exercise,
    Int,
    Record,
    Tuple,
    as_array,
    assert_close,
    expect,
    rng,
    row,
    seeds,
)
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

exercise = Exercise(module="ch08.iso", functions=("permute_adjacency", "is_isomorphic_bruteforce", "invariants"),
                    forbidden=("torch", "scipy", "sympy"), title="Graph isomorphism and invariants")

_ISO = Tuple(Bool(label="the flag of is_isomorphic_bruteforce"), Anything())


@oracle
def _nx_isomorphic(A: np.ndarray, B: np.ndarray) -> bool:
    """networkx.is_isomorphic of the undirected graphs of two adjacency matrices (VF2)."""
    import networkx as nx

    return bool(nx.is_isomorphic(nx.from_numpy_array(A), nx.from_numpy_array(B)))


def _perm_problem(A: np.ndarray, B: np.ndarray, perm) -> str | None:
    """Why ``perm`` does not map A onto B (node i of A is node perm[i] of B), or None when it does."""
    n = len(A)
    perm = as_array(perm, name="the permutation is_isomorphic_bruteforce returned", shape=(n,))
    if not np.array_equal(np.sort(perm), np.arange(n)):
        return f"the returned perm {perm.tolist()} is not a permutation of 0..{n - 1}"
    perm = perm.astype(np.int64)
    bad = [(i, j) for i in range(n) for j in range(n) if B[perm[i], perm[j]] != A[i, j]]
    if bad:
        i, j = bad[0]
        return (f"the returned perm {perm.tolist()} does not map A onto B: A[{i}, {j}] = {A[i, j]} but "
                f"B[perm[{i}], perm[{j}]] = B[{perm[i]}, {perm[j]}] = {B[perm[i], perm[j]]} "
                "(permute_adjacency(A, perm) should equal B)")
    return None


def _judge_pairs(ctx, pairs: list[tuple[np.ndarray, np.ndarray]], truths: list[bool], what: str) -> None:
    """Call is_isomorphic_bruteforce on every pair; each flag must be the truth, each perm map A onto
    B when the flag is True and be None when it is False."""
    answers = ctx.map("is_isomorphic_bruteforce", pairs, returns=_ISO)
    for k, ((A, B), truth, (flag, perm)) in enumerate(zip(pairs, truths, answers)):
        ctx.report_call("is_isomorphic_bruteforce", A, B)
        where = f"{what} #{k} (A = {A.tolist()}, B = {B.tolist()})"
        expect(flag == truth, f"is_isomorphic_bruteforce should say {truth} for {where}; got {flag}")
        if truth:
            problem = _perm_problem(A, B, perm)
            expect(problem is None, f"for {where}: {problem}")
        else:
            expect(perm is None, f"is_isomorphic_bruteforce should return (False, None) for {where}; "
                                 f"got the perm {perm!r}")


# ---- permute_adjacency ---------------------------------------------------------------------------

@exercise.check(points=2, given={"n": st.integers(3, 8), "seed": seeds()}, max_examples=20)
def permute_adjacency_sends_i_to_perm_i(ctx, n, seed):
    """permute_adjacency(A, perm) is B with B[perm[i], perm[j]] = A[i, j] (node i becomes node
    perm[i]; not the inverse relabelling), on directed weighted matrices, exactly."""
    r = rng(seed)
    A = r.integers(-5, 6, size=(n, n))  # not symmetric: rows and columns cannot be confused
    perm = moving_permutation(r, n)
    assert_close(ctx.call("permute_adjacency", A, perm, returns=Array((n, n))), ctx.ref.permute_adjacency(A, perm),
                 rtol=0, name=f"permute_adjacency(A, perm={perm.tolist()})")


# ---- is_isomorphic_bruteforce --------------------------------------------------------------------

def _forty_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    """20 relabelled copies and 20 relabelled degree-preserving rewirings of G(n, ½), n = 3..7."""
    pairs = []
    for k in range(40):
        r = rng(800 + k)
        n = 3 + k % 5
        A = random_graph(r, n, 0.5)
        B = A if k % 2 == 0 else rewired(r, A, swaps=2)
        pairs.append((A, relabelled(B, moving_permutation(r, n))))
    return pairs


@exercise.check(points=4)
def isomorphism_agrees_with_networkx(ctx):
    """On 40 pairs of graphs with 3 to 7 nodes (relabelled copies, and relabelled rewirings that keep
    every degree), is_isomorphic_bruteforce's flag is networkx.is_isomorphic's; the perm it returns
    maps A onto B (permute_adjacency(A, perm) == B: node i of A is node perm[i] of B), and is None
    when the flag is False."""
    pairs = _forty_pairs()
    _judge_pairs(ctx, pairs, [_nx_isomorphic(A, B) for A, B in pairs], "pair")


@exercise.check(points=2)
def equal_invariants_do_not_make_isomorphic(ctx):
    """The cospectral pair K₁,₄ and C₄ ∪ K₁, and C₆ against two triangles (same degrees, same number
    of edges), are not isomorphic: (False, None); so are the path P₄ and the cycle C₄ (every edge of
    P₄ maps to an edge of C₄, but C₄ has one more), and graphs of different sizes; a relabelled K₁,₄
    and C₆ are (True, perm)."""
    K14, C4K1 = star(4), disjoint_union(cycle(4), from_edges(1, []))
    C6, C3C3 = cycle(6), disjoint_union(cycle(3), cycle(3))
    P4 = from_edges(4, [(0, 1), (1, 2), (2, 3)])
    pairs = [(K14, C4K1), (C6, C3C3), (P4, cycle(4)), (K14, cycle(4)),
             (K14, relabelled(K14, np.array([3, 0, 4, 1, 2]))), (C6, relabelled(C6, np.array([2, 4, 0, 5, 1, 3])))]
    _judge_pairs(ctx, pairs, [False, False, False, False, True, True], "named pair")


@exercise.check(points=2, visibility="hidden")
def eight_node_graphs(ctx):
    """On 8-node graphs (the cube, a relabelled cube, the other connected cubic graphs with 8 nodes
    and 12 edges, a random rewiring), the flags are networkx's and the perms map A onto B."""
    cube = from_edges(8, [(i, i ^ b) for i in range(8) for b in (1, 2, 4) if i < i ^ b])
    mobius = from_edges(8, [(k, (k + 1) % 8) for k in range(8)] + [(k, k + 4) for k in range(4)])
    r = rng(88)
    rand = random_graph(r, 8, 0.5)
    pairs = [(cube, relabelled(cube, moving_permutation(r, 8))), (cube, mobius),
             (mobius, relabelled(mobius, moving_permutation(r, 8))), (cube, rewired(r, cube, 1)),
             (rand, relabelled(rand, moving_permutation(r, 8))), (rand, rewired(r, rand, 2))]
    _judge_pairs(ctx, pairs, [_nx_isomorphic(A, B) for A, B in pairs], "8-node pair")


# ---- invariants ----------------------------------------------------------------------------------

_INVARIANT_KIND = {"deg_seq": Array, "spectrum": Array, "n_edges": Int, "n_triangles": Int}


def _invariant(ctx, A: np.ndarray, key: str):
    """The student's invariants(A)[key], converted (an array of shape (n,) or an int)."""
    spec = Array((len(A),)) if _INVARIANT_KIND[key] is Array else Int()
    return ctx.call("invariants", A, returns=Record(**{key: spec}))[key]


@exercise.table(points=1, given={"n": st.integers(3, 9), "p": st.sampled_from([0.3, 0.5, 0.8]), "seed": seeds()},
                max_examples=20, rows=[
    row("deg_seq_is_sorted_degrees", "invariants(A)['deg_seq'] is the degrees A.sum(axis=1) sorted in "
        "non-decreasing order.", key="deg_seq", rtol=0.0),
    row("n_edges_counts_each_edge_once", "invariants(A)['n_edges'] is the number of undirected edges, A.sum() / 2.",
        key="n_edges", rtol=0.0),
    row("n_triangles_is_trace_over_six", "invariants(A)['n_triangles'] is tr(A³)/6: each triangle gives 6 closed "
        "walks of length 3.", key="n_triangles", rtol=0.0, points=2),
    row("spectrum_is_sorted_eigenvalues", "invariants(A)['spectrum'] is the eigenvalues of A in non-decreasing "
        "order (1e-10).", key="spectrum", rtol=1e-10),
])
def invariants_match(ctx, n, p, seed, key, rtol):
    A = random_graph(rng(seed), n, p)
    assert_close(_invariant(ctx, A, key), ctx.ref.invariants(A)[key], rtol=rtol, atol=1e-10 if rtol else 0.0,
                 name=f"invariants(A)[{key!r}] for A = {A.tolist()}")


@exercise.check(points=2, given={"n": st.integers(3, 9), "seed": seeds()}, max_examples=15)
def isomorphic_graphs_have_equal_invariants(ctx, n, seed):
    """A relabelled graph has the invariants of the original: invariants(P A Pᵀ) equal those of A
    (exact for the counts, 1e-10 for the spectrum)."""
    r = rng(seed)
    A = random_graph(r, n, 0.5)
    B = relabelled(A, moving_permutation(r, n))
    want = ctx.ref.invariants(A)
    got = ctx.call("invariants", B, returns=Record(deg_seq=Array((n,)), n_edges=Int(), n_triangles=Int(),
                                                   spectrum=Array((n,))))
    for key in ("deg_seq", "n_edges", "n_triangles", "spectrum"):
        rtol = 1e-10 if key == "spectrum" else 0.0
        assert_close(got[key], want[key], rtol=rtol, atol=1e-10 if rtol else 0.0,
                     name=f"invariants(B)[{key!r}] for B = {B.tolist()}, a relabelling of A = {A.tolist()}")


@exercise.check(points=1)
def cospectral_pair_shares_its_spectrum(ctx):
    """K₁,₄ and C₄ ∪ K₁ have the same spectrum {−2, 0, 0, 0, 2} (1e-10) but different degree
    sequences: equal spectra do not make graphs isomorphic."""
    K14, C4K1 = star(4), disjoint_union(cycle(4), from_edges(1, []))
    for name, A in (("K_{1,4}", K14), ("C_4 ∪ K_1", C4K1)):
        want = ctx.ref.invariants(A)
        got = ctx.call("invariants", A, returns=Record(deg_seq=Array((5,)), spectrum=Array((5,))))
        assert_close(got["spectrum"], want["spectrum"], rtol=1e-10, atol=1e-10, name=f"the spectrum of {name}")
        assert_close(got["deg_seq"], want["deg_seq"], rtol=0, name=f"the degree sequence of {name}")


@exercise.check(points=1, given={"n": st.integers(3, 9), "seed": seeds()}, max_examples=15)
def ex_8_1_connected_graphs_have_n_minus_1_edges_or_more(ctx, n, seed):
    """Ex 8.1: a connected graph on n nodes has at least n − 1 edges, and a tree exactly n − 1:
    invariants(A)['n_edges'] on a random tree and on that tree with random extra edges."""
    r = rng(seed)
    tree = random_tree(r, n)
    denser = tree | random_graph(r, n, 0.4)
    got_tree, got_denser = (_invariant(ctx, A, "n_edges") for A in (tree, denser))
    expect(got_tree == n - 1, f"a tree on {n} nodes has n − 1 = {n - 1} edges; invariants gave n_edges = {got_tree} "
                              f"for A = {tree.tolist()}")
    expect(got_denser >= n - 1, f"a connected graph on {n} nodes has at least {n - 1} edges; invariants gave "
                                f"n_edges = {got_denser} for A = {denser.tolist()}")
