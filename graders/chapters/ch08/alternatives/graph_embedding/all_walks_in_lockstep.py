"""All walks advance together, one column at a time; a neighbour is drawn by inverting the
cumulative weights with one uniform number per walk; MF from the eigendecomposition of AᵀA."""


def _advance(A, walks, previous, length, weights_of, generator):
    for s in range(1, length):
        current = walks[:, s - 1]
        u = generator.random(len(walks))
        for r in range(len(walks)):
            v = current[r]
            if v < 0:
                continue
            options = np.flatnonzero(A[v])
            if options.size == 0:
                continue
            w = np.cumsum(weights_of(options, previous[r]))
            walks[r, s] = options[min(int(np.searchsorted(w, u[r] * w[-1], side="right")), options.size - 1)]
        previous[:] = current
    return walks


def random_walks(A, length, per_node, rng):
    A = np.asarray(A, dtype=np.int64)
    n = len(A)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    walks[:, 0] = np.tile(np.arange(n), per_node)
    return _advance(A, walks, np.full(n * per_node, -1), length, lambda o, t: np.ones(o.size),
                    np.random.default_rng(rng))


def node2vec_walks(A, length, per_node, p, q, rng):
    A = np.asarray(A, dtype=np.int64)
    n = len(A)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    walks[:, 0] = np.tile(np.arange(n), per_node)

    def weights(options, t):
        if t < 0:
            return np.ones(options.size)
        return np.where(options == t, 1 / p, np.where(A[t, options] == 1, 1.0, 1 / q))
    return _advance(A, walks, np.full(n * per_node, -1), length, weights, np.random.default_rng(rng))


def mf_embedding(A, d):
    A = np.asarray(A, float)
    values, vectors = np.linalg.eigh(A.T @ A)
    order = np.argsort(values)[::-1][:d]
    sigma = np.sqrt(np.maximum(values[order], 0.0))
    V = vectors[:, order]
    U = (A @ V) / sigma
    return U * np.sqrt(sigma), V * np.sqrt(sigma)
