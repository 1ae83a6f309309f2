"""node2vec_walks weighs the return step by p and the outward steps by q instead of 1/p and 1/q."""
_correct_node2vec_walks = node2vec_walks


def node2vec_walks(A, length, per_node, p, q, rng):
    return _correct_node2vec_walks(A, length, per_node, 1.0 / p, 1.0 / q, rng)
