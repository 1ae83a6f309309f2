"""node2vec_walks tests A[v, x] (always 1) instead of A[t, x] for the weight-1 class, so q never acts."""


def node2vec_walks(A, length, per_node, p, q, rng):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for row in range(n * per_node):
        previous, node = -1, row % n
        walks[row, 0] = node
        for s in range(1, length):
            options = np.flatnonzero(A[node])
            if options.size == 0:
                break
            if previous < 0:
                w = np.ones(options.size)
            else:
                w = np.where(options == previous, 1 / p, np.where(A[node, options] == 1, 1.0, 1 / q))
            previous, node = node, int(options[generator.choice(options.size, p=w / w.sum())])
            walks[row, s] = node
    return walks
