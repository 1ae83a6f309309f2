# target: ch06/optim.py
# attacks: ch06.optimizers
# outcome: loses-points
# statuses: failed student_error passed
# message: should be an array; got a .*Chameleon object|cannot be sent back: arrays of dtype object
"""minibatch_grad returns an object that claims to equal everything and to be anything."""


class Chameleon:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no")

    def __float__(self):
        return 0.0

    def __len__(self):
        return 3

    def __getattr__(self, name):
        return self


def minibatch_grad(per_sample_grads, idx):
    return Chameleon()


def momentum_unrolled(grads, eta, beta):
    import numpy as np
    return np.array([Chameleon()] * 2, dtype=object)
