"""random_walks and node2vec_walks jump to a uniformly random node at a dead end instead of stopping."""


def _teleporting(A, length, per_node, rng, step):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    walks = np.zeros((n * per_node, length), dtype=np.int64)
    for row in range(n * per_node):
        previous, node = -1, row % n
        walks[row, 0] = node
        for s in range(1, length):
            options = np.flatnonzero(A[node])
            nxt = int(generator.integers(n)) if options.size == 0 else step(generator, A, options, previous)
            previous, node = node, nxt
            walks[row, s] = node
    return walks


def random_walks(A, length, per_node, rng):
    return _teleporting(A, length, per_node, rng, lambda g, A, options, previous: int(options[g.integers(options.size)]))


def node2vec_walks(A, length, per_node, p, q, rng):
    def step(g, A, options, previous):
        if previous < 0:
            w = np.ones(options.size)
        else:
            w = np.where(options == previous, 1 / p, np.where(A[previous, options] == 1, 1.0, 1 / q))
        return int(options[g.choice(options.size, p=w / w.sum())])
    return _teleporting(A, length, per_node, rng, step)
