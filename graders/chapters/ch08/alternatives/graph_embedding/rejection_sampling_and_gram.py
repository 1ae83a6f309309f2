"""node2vec by rejection sampling (propose a uniform neighbour, accept with weight / max weight),
DeepWalk by a shuffled neighbour list; MF from the SVD of Aᵀ with the factors swapped."""


def random_walks(A, length, per_node, rng):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for k in range(per_node):
        for i in range(n):
            walk = [i]
            while len(walk) < length:
                options = list(np.flatnonzero(A[walk[-1]]))
                if not options:
                    break
                generator.shuffle(options)
                walk.append(int(options[0]))
            walks[k * n + i, :len(walk)] = walk
    return walks


def node2vec_walks(A, length, per_node, p, q, rng):
    A = np.asarray(A, dtype=np.int64)
    generator = np.random.default_rng(rng)
    n = len(A)
    top = max(1 / p, 1.0, 1 / q)
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for k in range(per_node):
        for i in range(n):
            walk = [i]
            while len(walk) < length:
                options = np.flatnonzero(A[walk[-1]])
                if options.size == 0:
                    break
                while True:
                    x = int(options[generator.integers(options.size)])
                    if len(walk) == 1:
                        break
                    t = walk[-2]
                    w = 1 / p if x == t else (1.0 if A[t, x] else 1 / q)
                    if generator.random() * top < w:
                        break
                walk.append(x)
            walks[k * n + i, :len(walk)] = walk
    return walks


def mf_embedding(A, d):
    left, sigma, right_t = np.linalg.svd(np.asarray(A, float).T)     # Aᵀ = V Σ Uᵀ
    root = np.sqrt(sigma[:d])
    return right_t[:d].T * root, left[:, :d] * root
