"""random_walks picks a neighbour with probability proportional to its degree instead of uniformly."""


def random_walks(A, length, per_node, rng):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    degree = A.sum(axis=1) + 1.0
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for row in range(n * per_node):
        node = row % n
        walks[row, 0] = node
        for s in range(1, length):
            options = np.flatnonzero(A[node])
            if options.size == 0:
                break
            w = degree[options]
            node = int(options[generator.choice(options.size, p=w / w.sum())])
            walks[row, s] = node
    return walks
