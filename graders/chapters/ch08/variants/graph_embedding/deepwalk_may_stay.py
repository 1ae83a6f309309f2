"""random_walks draws the next node among the out-neighbours and the current node (a lazy walk)."""


def random_walks(A, length, per_node, rng):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for row in range(n * per_node):
        node = row % n
        walks[row, 0] = node
        for s in range(1, length):
            options = np.flatnonzero(A[node])
            if options.size == 0:
                break
            options = np.append(options, node)
            node = int(options[generator.integers(options.size)])
            walks[row, s] = node
    return walks
