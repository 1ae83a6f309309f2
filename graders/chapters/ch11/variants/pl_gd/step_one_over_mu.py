"""Step 1/μ-sized: the update divides by the step argument (x − ∇f/η), a step of 8 at η = 1/8, which diverges."""


def gd(grad, x0, step, iters):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(iters):
        xs.append(xs[-1] - np.asarray(grad(xs[-1])) / step)
    return np.array(xs)
