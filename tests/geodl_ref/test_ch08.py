"""geodl_ref.ch08 against independent oracles: networkx's isomorphism test (VF2), triangle counts
and Weisfeiler–Lehman hashes (compared as partitions, never as hash values), numpy's eigvalsh, and
the book's facts of §8.2.2 (the cospectral pair K₁,₄ / C₄ ∪ K₁, ex 8.1, the WL limit C₆ / 2·C₃)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geodl_ref.ch08 import embed, gnn, iso, w2v, wl

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


# ---- gnn: aggregation, readout, GIN ------------------------------------------------------------

def _loop_aggregate(A: np.ndarray, X: np.ndarray, how: str) -> np.ndarray:
    """Node by node, over the j with A[i, j] != 0: the independent spelling of aggregate."""
    out = np.zeros_like(X)
    for i in range(len(A)):
        senders = np.flatnonzero(A[i])
        if senders.size == 0:
            continue
        weighted = sum(A[i, j] * X[j] for j in senders)
        out[i] = {"sum": weighted, "mean": weighted / A[i, senders].sum(),
                  "max": X[senders].max(axis=0)}[how]
    return out


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("how", ["sum", "mean", "max"])
def test_aggregate_matches_loops_on_weighted_directed_graphs(seed, how):
    rng = np.random.default_rng(seed)
    A = (rng.random((6, 6)) < 0.4) * rng.uniform(0.5, 2.0, size=(6, 6))
    A[2] = 0.0
    X = rng.normal(size=(6, 3))
    np.testing.assert_allclose(gnn.aggregate(A, X, how), _loop_aggregate(A, X, how), rtol=1e-12, atol=1e-15)


def test_aggregate_in_neighbour_convention_and_planted_multisets():
    A = np.zeros((4, 4))
    A[0, 1:] = 1.0                                   # node 0 receives from 1, 2, 3
    X = np.arange(4.0)[:, None]
    np.testing.assert_array_equal(gnn.aggregate(A, X), [[6.0], [0.0], [0.0], [0.0]])
    a, b = np.array([1.0, 0.0]), np.array([0.0, 2.0])
    pairs = {"aa vs a": ([a, a], [a]), "ab vs cc": ([a, b], [np.maximum(a, b)] * 2)}
    for name, (left, right) in pairs.items():
        for how, separates in (("sum", True), ("max", False)):
            pooled = [gnn.readout(np.array(side), how) for side in (left, right)]
            assert (not np.allclose(*pooled)) == separates, (name, how)
    assert np.allclose(gnn.readout(np.array([a, a]), "mean"), gnn.readout(np.array([a]), "mean"))


def test_gin_layer_is_the_formula_and_equivariant():
    rng = np.random.default_rng(7)
    A = (rng.random((5, 5)) < 0.5).astype(float)
    np.fill_diagonal(A, 0.0)
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    want = np.maximum(((1.3) * np.eye(5) + A) @ X @ W + b, 0.0)
    np.testing.assert_allclose(gnn.gin_layer(A, X, W, 0.3, b), want, rtol=1e-12)
    P = np.eye(5)[rng.permutation(5)]
    np.testing.assert_allclose(gnn.gin_layer(P @ A @ P.T, P @ X, W, 0.3, b), P @ gnn.gin_layer(A, X, W, 0.3, b),
                               rtol=1e-12, atol=1e-14)


def test_sum_gin_reproduces_networkx_wl_partition():
    W_in = np.array([[1.0, 2.0, -1.0, 3.0, 1.0, -2.0]])
    W = np.random.default_rng(869).integers(-3, 4, size=(6, 6)).astype(float)
    for seed in range(10):
        G = nx.gnp_random_graph(5 + seed % 5, 0.35, seed=seed) if seed % 2 else nx.random_labeled_tree(6, seed=seed)
        A = nx.to_numpy_array(G, nodelist=sorted(G.nodes))
        n = len(A)
        H = gnn.gin_layer(A, np.ones((n, 1)), W_in, 0.1, np.ones(6))
        for _ in range(n):
            H = gnn.gin_layer(A, H, W, 0.1, np.ones(6))
        hashes = nx.weisfeiler_lehman_subgraph_hashes(G, iterations=n)
        wl_classes = {v: hashes[v][-1] for v in G.nodes}
        for u, v in itertools.combinations(range(n), 2):
            assert np.allclose(H[u], H[v], rtol=1e-9) == (wl_classes[u] == wl_classes[v]), (seed, u, v)


@pytest.mark.parametrize("call, message", [
    (lambda: gnn.aggregate(np.ones((2, 3)), np.ones((2, 1))), "A.shape\\[0\\] == A.shape\\[1\\]"),
    (lambda: gnn.aggregate(np.ones((2, 2)), np.ones((3, 1))), "X.shape\\[0\\] == A.shape\\[0\\]"),
    (lambda: gnn.aggregate(np.ones((2, 2)), np.ones((2, 1)), "median"), "how should be one of"),
    (lambda: gnn.readout(np.ones((0, 2))), "at least one row"),
    (lambda: gnn.gin_layer(np.ones((2, 2)), np.ones((2, 3)), np.ones((2, 4)), 0.1), "W.shape\\[0\\] == X.shape\\[1\\]"),
    (lambda: gnn.gin_layer(np.ones((2, 2)), np.ones((2, 3)), np.ones((3, 4)), 0.1, np.ones(3)), "b should have shape"),
])
def test_gnn_names_the_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- w2v: skip-gram, CBOW, SGNS ----------------------------------------------------------------

def _w2v_problem(seed: int, M: int = 7, d: int = 3, C: int = 4, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    context = rng.integers(0, M, size=C)
    context[-1] = context[0]
    return (scale * rng.normal(size=(M, d)), scale * rng.normal(size=(M, d)), int(rng.integers(M)), context,
            rng.integers(0, M, size=(C, 2)))


def _torch_losses(W_in, W_out, center, context, negatives):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    out = {}
    for name in ("skipgram", "cbow", "sgns"):
        Wi, Wo = torch.tensor(W_in, requires_grad=True), torch.tensor(W_out, requires_grad=True)
        idx = torch.as_tensor(context)
        if name == "skipgram":
            loss = F.cross_entropy((Wo @ Wi[center]).expand(len(context), -1), idx, reduction="sum")
        elif name == "cbow":
            loss = F.cross_entropy((Wo @ Wi[idx].mean(0))[None], torch.tensor([center]), reduction="sum")
        else:
            h = Wi[center]
            loss = -(F.logsigmoid(Wo[idx] @ h).sum() + F.logsigmoid(-(Wo[torch.as_tensor(negatives)] @ h)).sum())
        loss.backward()
        out[name] = (loss.item(), Wi.grad.numpy(), Wo.grad.numpy())
    return out


@pytest.mark.parametrize("seed, scale", [(0, 1.0), (1, 1.0), (2, 3.0), (3, 40.0)])
def test_w2v_losses_and_gradients_match_torch_autograd(seed, scale):
    W_in, W_out, center, context, negatives = _w2v_problem(seed, scale=scale)
    want = _torch_losses(W_in, W_out, center, context, negatives)
    got = {"skipgram": w2v.skipgram_loss(W_in, W_out, center, context),
           "cbow": w2v.cbow_loss(W_in, W_out, context, center),
           "sgns": w2v.sgns_loss(W_in, W_out, center, context, negatives)}
    for name in got:
        assert np.isfinite(got[name][0])
        for g, w in zip(got[name], want[name]):
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-10 * max(1.0, float(np.abs(w).max())))


@pytest.mark.parametrize("seed", range(3))
def test_w2v_gradients_match_central_differences(seed):
    W_in, W_out, center, context, negatives = _w2v_problem(seed, M=5, d=2, C=3)
    calls = {"skipgram": lambda a, b: w2v.skipgram_loss(a, b, center, context),
             "cbow": lambda a, b: w2v.cbow_loss(a, b, context, center),
             "sgns": lambda a, b: w2v.sgns_loss(a, b, center, context, negatives)}
    for f in calls.values():
        _, dW_in, dW_out = f(W_in, W_out)
        for which, grad in ((0, dW_in), (1, dW_out)):
            numeric = np.zeros_like(grad)
            for i in range(grad.size):
                plus, minus = [W_in.copy(), W_out.copy()], [W_in.copy(), W_out.copy()]
                plus[which].flat[i] += 1e-6
                minus[which].flat[i] -= 1e-6
                numeric.flat[i] = (f(*plus)[0] - f(*minus)[0]) / 2e-6
            np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-7)


def test_skipgram_shift_invariance_and_sparse_input_gradient():
    W_in, W_out, center, context, _ = _w2v_problem(4)
    loss, dW_in, _ = w2v.skipgram_loss(W_in, W_out, center, context)
    shifted, _, _ = w2v.skipgram_loss(W_in, W_out + np.array([3.0, -1.0, 2.0]), center, context)
    assert abs(shifted - loss) <= 1e-12 * abs(loss)
    assert np.flatnonzero(np.any(dW_in != 0, axis=1)).tolist() == [center]


@pytest.mark.parametrize("call, error, message", [
    (lambda: w2v.skipgram_loss(np.ones((3, 2)), np.ones((4, 2)), 0, [1]), ValueError, "W_out.shape\\[0\\]"),
    (lambda: w2v.skipgram_loss(np.ones((3, 2)), np.ones((3, 2)), 3, [1]), ValueError, "center should be <= 2"),
    (lambda: w2v.cbow_loss(np.ones((3, 2)), np.ones((3, 2)), [0, 5], 1), ValueError, "context should hold indices"),
    (lambda: w2v.cbow_loss(np.ones((3, 2)), np.ones((3, 2)), [0.5], 1), TypeError, "context should hold integer"),
    (lambda: w2v.sgns_loss(np.ones((3, 2)), np.ones((3, 2)), 0, [1, 2], [[1]]), ValueError, "negatives.shape\\[0\\]"),
])
def test_w2v_names_the_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- embed: random walks and the MF embedding ----------------------------------------------------

def _pooled_chi2_pvalue(counts: np.ndarray, probabilities: np.ndarray) -> float:
    """scipy's χ² p-value of rows of transition counts against rows of exact probabilities, pooled."""
    stats = pytest.importorskip("scipy.stats")
    total, df = 0.0, 0
    for c, prob in zip(counts.reshape(-1, counts.shape[-1]), probabilities.reshape(-1, probabilities.shape[-1])):
        support = prob > 0
        if support.sum() < 2 or c.sum() == 0:
            continue
        total += stats.chisquare(c[support], c.sum() * prob[support]).statistic
        df += int(support.sum()) - 1
    return float(stats.chi2.sf(total, df))


def test_random_walks_follow_edges_stop_at_dead_ends_and_are_uniform():
    G = nx.gnp_random_graph(7, 0.45, seed=3, directed=True)
    A = nx.to_numpy_array(G, nodelist=range(7), dtype=np.int64)
    A[4] = 0                                                     # a dead end
    walks = embed.random_walks(A, 30, 120, rng=5)
    assert walks.shape == (7 * 120, 30) and np.array_equal(walks[:, 0], np.tile(np.arange(7), 120))
    counts = np.zeros((7, 7))
    for w in walks:
        stop = np.flatnonzero(w < 0)
        if stop.size:
            assert not A[w[stop[0] - 1]].any() and np.all(w[stop[0]:] == -1)
            w = w[:stop[0]]
        assert all(G.has_edge(a, b) for a, b in zip(w[:-1], w[1:]))
        np.add.at(counts, (w[:-1], w[1:]), 1)
    transition = nx.to_numpy_array(G, nodelist=range(7))
    transition[4] = 0
    degree = transition.sum(axis=1, keepdims=True)
    transition = np.divide(transition, degree, out=np.zeros_like(transition), where=degree > 0)
    assert _pooled_chi2_pvalue(counts, transition) > 1e-4
    np.testing.assert_array_equal(walks, embed.random_walks(A, 30, 120, rng=5))


@pytest.mark.parametrize("p, q", [(0.5, 2.0), (2.0, 0.5), (1.0, 1.0)])
def test_node2vec_second_order_frequencies_match_the_weights(p, q):
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (1, 3)])
    A = nx.to_numpy_array(G, nodelist=range(5), dtype=np.int64)
    walks = embed.node2vec_walks(A, 40, 100, p, q, rng=1)
    counts, exact = np.zeros((5, 5, 5)), np.zeros((5, 5, 5))
    for w in walks:
        np.add.at(counts, (w[:-2], w[1:-1], w[2:]), 1)
    for t, v in G.edges:
        for a, b in ((t, v), (v, t)):
            weights = {x: 1 / p if x == a else 1.0 if G.has_edge(a, x) else 1 / q for x in G[b]}
            for x, weight in weights.items():
                exact[a, b, x] = weight / sum(weights.values())
    assert _pooled_chi2_pvalue(counts, exact) > 1e-4


@pytest.mark.parametrize("seed, d", [(0, 1), (1, 2), (2, 4)])
def test_mf_embedding_is_eckart_young_and_balanced(seed, d):
    linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(seed)
    A = (rng.random((7, 7)) < 0.5) * rng.uniform(0.5, 2.0, size=(7, 7))
    U, V = embed.mf_embedding(A, d)
    sigma = linalg.svdvals(A)
    assert abs(np.sum((A - U @ V.T) ** 2) - np.sum(sigma[d:] ** 2)) <= 1e-10 * np.sum(sigma ** 2)
    np.testing.assert_allclose(U.T @ U, np.diag(sigma[:d]), atol=1e-10 * sigma[0])
    np.testing.assert_allclose(V.T @ V, np.diag(sigma[:d]), atol=1e-10 * sigma[0])
    P = np.eye(7)[rng.permutation(7)]
    U2, V2 = embed.mf_embedding(P @ A @ P.T, d)
    np.testing.assert_allclose(U2 @ V2.T, P @ U @ V.T @ P.T, atol=1e-10 * sigma[0])


@pytest.mark.parametrize("call, message", [
    (lambda: embed.random_walks(np.ones((2, 3)), 3, 1, 0), "A.shape\\[0\\] == A.shape\\[1\\]"),
    (lambda: embed.random_walks(2 * np.ones((2, 2)), 3, 1, 0), "A should hold only 0 and 1"),
    (lambda: embed.random_walks(np.ones((2, 2)), 0, 1, 0), "length should be >= 1"),
    (lambda: embed.node2vec_walks(np.ones((2, 2)), 3, 1, 0.0, 1.0, 0), "p should be > 0"),
    (lambda: embed.mf_embedding(np.ones((3, 3)), 4), "d should be <= 3"),
])
def test_embed_names_the_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- derivations (symbolic)
@pytest.mark.parametrize("seed", range(5))
def test_triangle_count_formula_matches_networkx(seed):
    """Oracle: networkx's triangle count of a random graph on 5 nodes."""
    import networkx as nx
    import sympy as sp

    from geodl_ref.ch08 import derivations as der

    r = np.random.default_rng(seed)
    A = np.triu((r.random((5, 5)) < 0.6).astype(int), 1)
    A = A + A.T
    want = sum(nx.triangles(nx.from_numpy_array(A)).values()) // 3
    assert der.triangle_count().subs(der.A, sp.Matrix(A)).doit() == want


def test_gin_preactivation_formula_is_the_reference_layer_before_relu():
    """Oracle: gnn.gin_layer with W and −W (ReLU(z) − ReLU(−z) = z) on a random directed graph."""
    import sympy as sp

    from geodl_ref.ch08 import derivations as der

    r = np.random.default_rng(3)
    A = (r.random((5, 5)) < 0.5).astype(float)
    np.fill_diagonal(A, 0.0)
    X, W = r.normal(size=(5, 3)), r.normal(size=(3, 4))
    got = der.gin_preactivation().subs({der.A: sp.Matrix(A), der.X: sp.Matrix(X), der.W: sp.Matrix(W),
                                        der.eps: 0.3}).doit()
    want = gnn.gin_layer(A, X, W, 0.3) - gnn.gin_layer(A, X, -W, 0.3)
    np.testing.assert_allclose(np.array(got, dtype=float), want, rtol=1e-12, atol=1e-12)


def test_sgns_score_derivatives_match_sympy():
    """Oracle: sympy's derivatives of −log σ(s) and −log σ(−s)."""
    import sympy as sp

    from geodl_ref.ch08 import derivations as der

    sigma = 1 / (1 + sp.exp(-der.s))
    assert sp.simplify(sp.diff(-sp.log(sigma), der.s) - der.sgns_grad_positive()) == 0
    assert sp.simplify(sp.diff(-sp.log(sigma.subs(der.s, -der.s)), der.s) - der.sgns_grad_negative()) == 0
