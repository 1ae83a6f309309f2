"""geodl_ref.ch08 against independent oracles: networkx's isomorphism test (VF2), triangle counts
and Weisfeiler–Lehman hashes (compared as partitions, never as hash values), numpy's eigvalsh, and
the book's facts of §8.2.2 (the cospectral pair K₁,₄ / C₄ ∪ K₁, ex 8.1, the WL limit C₆ / 2·C₃)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geodl_ref.ch08 import iso, wl

nx = pytest.importorskip("networkx")


def _random_graph(rng: np.random.Generator, n: int, p: float = 0.5) -> np.ndarray:
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(np.int64)


def _adjacency(G) -> np.ndarray:
    return nx.to_numpy_array(G, nodelist=sorted(G.nodes), dtype=np.int64)


def _rewired(rng: np.random.Generator, A: np.ndarray) -> np.ndarray:
    """A after one degree-preserving double-edge swap by networkx (A itself when none is possible)."""
    G = nx.from_numpy_array(A)
    try:
        nx.double_edge_swap(G, nswap=1, max_tries=100, seed=int(rng.integers(2**31)))
    except (nx.NetworkXError, nx.NetworkXAlgorithmError):
        pass
    return _adjacency(G)


# ---- permute_adjacency ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(10))
def test_permute_adjacency_is_P_A_Pt_and_matches_networkx_relabelling(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    A, perm = rng.integers(-3, 4, size=(n, n)), rng.permutation(n)
    P = np.zeros((n, n), dtype=np.int64)
    P[perm, np.arange(n)] = 1
    B = iso.permute_adjacency(A, perm)
    assert B.dtype == A.dtype
    np.testing.assert_array_equal(B, P @ A @ P.T)
    G = nx.relabel_nodes(nx.from_numpy_array(A, create_using=nx.DiGraph), dict(enumerate(perm.tolist())))
    np.testing.assert_array_equal(nx.to_numpy_array(G, nodelist=range(n), dtype=np.int64), B)


def test_permute_adjacency_leaves_its_arguments_alone():
    A, perm = np.arange(9).reshape(3, 3), np.array([2, 0, 1])
    iso.permute_adjacency(A, perm)
    np.testing.assert_array_equal(A, np.arange(9).reshape(3, 3))
    np.testing.assert_array_equal(perm, [2, 0, 1])


@pytest.mark.parametrize("A, perm, error, message", [
    (np.ones((2, 3)), [0, 1], ValueError, "A.shape\\[0\\] == A.shape\\[1\\]"),
    (np.ones(3), [0, 1, 2], ValueError, "A should be a 2-d array"),
    (np.ones((3, 3)), [0, 1], ValueError, "len\\(perm\\) == n"),
    (np.ones((3, 3)), [0, 1, 1], ValueError, "perm should be a permutation"),
    (np.ones((3, 3)), [0.5, 1, 2], TypeError, "perm should hold integers"),
])
def test_permute_adjacency_names_the_bad_input(A, perm, error, message):
    with pytest.raises(error, match=message):
        iso.permute_adjacency(A, perm)


# ---- is_isomorphic_bruteforce --------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_is_isomorphic_matches_networkx_on_relabellings_and_rewirings(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    A = _random_graph(rng, n, float(rng.uniform(0.2, 0.8)))
    B = iso.permute_adjacency(A if seed % 2 == 0 else _rewired(rng, A), rng.permutation(n))
    flag, perm = iso.is_isomorphic_bruteforce(A, B)
    assert flag == nx.is_isomorphic(nx.from_numpy_array(A), nx.from_numpy_array(B))
    if flag:
        np.testing.assert_array_equal(iso.permute_adjacency(A, perm), B)
    else:
        assert perm is None


def test_every_isomorphism_class_on_four_nodes_is_found_once():
    """The 64 labelled graphs on 4 nodes fall into networkx's 11 isomorphism classes."""
    graphs = [np.array(bits).reshape(6) for bits in itertools.product((0, 1), repeat=6)]
    pairs = list(itertools.combinations(range(4), 2))
    adjacency = []
    for bits in graphs:
        A = np.zeros((4, 4), dtype=np.int64)
        for (i, j), b in zip(pairs, bits):
            A[i, j] = A[j, i] = b
        adjacency.append(A)
    classes: list[np.ndarray] = []
    for A in adjacency:
        if not any(iso.is_isomorphic_bruteforce(A, C)[0] for C in classes):
            classes.append(A)
    assert len(classes) == sum(1 for G in nx.graph_atlas_g() if G.number_of_nodes() == 4) == 11


def test_cospectral_pair_is_not_isomorphic_but_shares_its_spectrum():
    K14 = _adjacency(nx.star_graph(4))
    C4K1 = _adjacency(nx.disjoint_union(nx.cycle_graph(4), nx.empty_graph(1)))
    assert iso.is_isomorphic_bruteforce(K14, C4K1) == (False, None)
    np.testing.assert_allclose(iso.invariants(K14)["spectrum"], [-2, 0, 0, 0, 2], atol=1e-12)
    np.testing.assert_allclose(iso.invariants(C4K1)["spectrum"], [-2, 0, 0, 0, 2], atol=1e-12)
    assert iso.invariants(K14)["deg_seq"].tolist() == [1, 1, 1, 1, 4]
    assert iso.invariants(C4K1)["deg_seq"].tolist() == [0, 2, 2, 2, 2]


def test_graphs_of_different_sizes_are_not_isomorphic():
    assert iso.is_isomorphic_bruteforce(np.zeros((3, 3), int), np.zeros((4, 4), int)) == (False, None)


def test_eight_node_cubic_graphs():
    cube = _adjacency(nx.hypercube_graph(3).to_undirected())
    mobius = _adjacency(nx.circulant_graph(8, [1, 4]))
    assert iso.is_isomorphic_bruteforce(cube, mobius) == (False, None)
    perm = np.random.default_rng(3).permutation(8)
    flag, found = iso.is_isomorphic_bruteforce(cube, iso.permute_adjacency(cube, perm))
    assert flag
    np.testing.assert_array_equal(iso.permute_adjacency(cube, found), iso.permute_adjacency(cube, perm))


@pytest.mark.parametrize("A, message", [
    (np.zeros((9, 9), dtype=int), "A should have at most 8 nodes"),
    (np.array([[0, 2], [2, 0]]), "A should hold only 0 and 1"),
    (np.array([[1, 0], [0, 0]]), "A should have a zero diagonal"),
    (np.array([[0, 1], [0, 0]]), "A should be symmetric"),
    (np.zeros((0, 0)), "A should have at least one node"),
])
def test_is_isomorphic_names_the_bad_graph(A, message):
    with pytest.raises(ValueError, match=message):
        iso.is_isomorphic_bruteforce(A, np.zeros((2, 2), dtype=int))


# ---- invariants ----------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(20))
def test_invariants_match_networkx_and_eigvalsh(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    A = _random_graph(rng, n, float(rng.uniform(0.1, 0.9)))
    G = nx.from_numpy_array(A)
    got = iso.invariants(A)
    assert got["deg_seq"].tolist() == sorted(d for _, d in G.degree())
    assert got["n_edges"] == G.number_of_edges()
    assert got["n_triangles"] == sum(nx.triangles(G).values()) // 3
    np.testing.assert_allclose(got["spectrum"], np.sort(np.linalg.eigvals(A).real), atol=1e-10)
    B = iso.permute_adjacency(A, rng.permutation(n))
    relabelled = iso.invariants(B)
    for key in ("deg_seq", "n_edges", "n_triangles"):
        np.testing.assert_array_equal(relabelled[key], got[key])
    np.testing.assert_allclose(relabelled["spectrum"], got["spectrum"], atol=1e-10)


@pytest.mark.parametrize("n", range(1, 9))
def test_complete_graph_counts(n):
    got = iso.invariants(_adjacency(nx.complete_graph(n)))
    assert (got["n_edges"], got["n_triangles"]) == (n * (n - 1) // 2, n * (n - 1) * (n - 2) // 6)
    np.testing.assert_allclose(got["spectrum"], [-1.0] * (n - 1) + [n - 1.0], atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_ex_8_1_connected_graphs_have_at_least_n_minus_1_edges(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    tree = nx.random_labeled_tree(n, seed=seed) if hasattr(nx, "random_labeled_tree") else nx.random_tree(n, seed=seed)
    assert iso.invariants(_adjacency(tree))["n_edges"] == n - 1
    G = nx.connected_watts_strogatz_graph(n, 2, 0.5, seed=seed) if n > 2 else nx.path_graph(n)
    assert nx.is_connected(G) and iso.invariants(_adjacency(G))["n_edges"] >= n - 1


# ---- wl_refine, wl_test --------------------------------------------------------------------------

def _classes(colours) -> list[int]:
    """A colouring's partition, named by first appearance in node order."""
    seen: dict = {}
    return [seen.setdefault(c, len(seen)) for c in colours]


def _nx_wl_partition(A: np.ndarray, init: np.ndarray | None = None) -> list[int]:
    n = len(A)
    G = nx.from_numpy_array(A)
    init = np.zeros(n, dtype=int) if init is None else init
    nx.set_node_attributes(G, {i: str(int(init[i])) for i in range(n)}, "colour")
    hashes = nx.weisfeiler_lehman_subgraph_hashes(G, node_attr="colour", iterations=n)
    return _classes([hashes[v][-1] for v in range(n)])


@pytest.mark.parametrize("seed", range(60))
def test_wl_refine_partition_matches_networkx_subgraph_hashes(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 16))
    A = _random_graph(rng, n, float(rng.uniform(0.05, 0.5)))
    init = rng.integers(0, 4, size=n) if seed % 2 else None
    assert _classes(wl.wl_refine(A, init).tolist()) == _nx_wl_partition(A, init)


@pytest.mark.parametrize("seed", range(20))
def test_wl_refine_is_equivariant_and_stable_within_n_rounds(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    A = _random_graph(rng, n, 0.3)
    perm = rng.permutation(n)
    colours = wl.wl_refine(A)
    assert _classes(wl.wl_refine(iso.permute_adjacency(A, perm))[perm].tolist()) == _classes(colours.tolist())
    assert _classes(wl.wl_refine(A, max_iter=n).tolist()) == _classes(colours.tolist())
    again = wl.wl_refine(A, init=colours, max_iter=1)  # a stable partition is a fixed point
    assert _classes(again.tolist()) == _classes(colours.tolist())
    assert _classes(wl.wl_refine(A, max_iter=1).tolist()) == _classes(A.sum(axis=1).tolist())  # degree classes


def test_wl_refine_keeps_the_initial_classes_and_leaves_arguments_alone():
    A, init = np.zeros((4, 4), dtype=int), np.array([5, 1, 5, 2])
    assert _classes(wl.wl_refine(A, init=init).tolist()) == [0, 1, 0, 2]
    assert init.tolist() == [5, 1, 5, 2] and not A.any()


@pytest.mark.parametrize("seed", range(40))
def test_wl_test_agrees_with_networkx_graph_hashes(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 10))
    A = _random_graph(rng, n, 0.4)
    B = iso.permute_adjacency(_rewired(rng, A) if seed % 2 else A, rng.permutation(n))
    assert wl.wl_test(A, iso.permute_adjacency(A, rng.permutation(n)))
    graphs = [nx.from_numpy_array(M) for M in (A, B)]
    for G in graphs:
        nx.set_node_attributes(G, "0", "colour")  # one initial colour, as wl_refine's default
    hashes = [nx.weisfeiler_lehman_graph_hash(G, node_attr="colour", iterations=2 * n) for G in graphs]
    assert wl.wl_test(A, B) == (hashes[0] == hashes[1])
    if not wl.wl_test(A, B):
        assert not nx.is_isomorphic(nx.from_numpy_array(A), nx.from_numpy_array(B))


def test_wl_limit_and_the_book_pairs():
    C6 = _adjacency(nx.cycle_graph(6))
    two_triangles = _adjacency(nx.disjoint_union(nx.cycle_graph(3), nx.cycle_graph(3)))
    assert wl.wl_test(C6, two_triangles) and not nx.is_isomorphic(nx.cycle_graph(6), nx.Graph(two_triangles))
    assert not wl.wl_test(_adjacency(nx.path_graph(4)), _adjacency(nx.star_graph(3)))
    assert not wl.wl_test(_adjacency(nx.cycle_graph(4)), _adjacency(nx.complete_graph(4)))  # regular, degrees differ
    assert not wl.wl_test(C6, _adjacency(nx.complete_bipartite_graph(3, 3)))
    assert not wl.wl_test(C6, _adjacency(nx.cycle_graph(5)))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"A": np.ones((2, 3))}, ValueError, "A.shape\\[0\\] == A.shape\\[1\\]"),
    ({"A": np.array([[0, 1], [0, 0]])}, ValueError, "A should be symmetric"),
    ({"A": np.zeros((3, 3)), "init": [0, 1]}, ValueError, "len\\(init\\) == n"),
    ({"A": np.zeros((3, 3)), "init": [0.5, 1, 2]}, TypeError, "init should hold integer colours"),
    ({"A": np.zeros((3, 3)), "max_iter": -1}, ValueError, "max_iter should be >= 0"),
])
def test_wl_refine_names_the_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        wl.wl_refine(**kwargs)
