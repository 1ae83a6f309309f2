"""node2vec_walks swaps the roles of p and q: weight 1/q to return, 1/p outward."""
_correct_node2vec_walks = node2vec_walks


def node2vec_walks(A, length, per_node, p, q, rng):
    return _correct_node2vec_walks(A, length, per_node, q, p, rng)
