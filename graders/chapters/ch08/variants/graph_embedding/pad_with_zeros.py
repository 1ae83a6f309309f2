"""random_walks pads the walks that reach a dead end with 0 instead of −1."""
_correct_random_walks = random_walks


def random_walks(A, length, per_node, rng):
    walks = _correct_random_walks(A, length, per_node, rng)
    return np.where(walks < 0, 0, walks)
