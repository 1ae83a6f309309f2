"""Sign error in the flow: θ + dt·Xᵀ(Xθ − y) (gradient ascent), so V grows."""


def gradient_flow_lsq(X, y, theta0, dt, T):
    thetas = np.empty((T + 1, X.shape[1]))
    thetas[0] = theta0
    for k in range(T):
        thetas[k + 1] = thetas[k] + dt * (X.T @ (X @ thetas[k] - y))
    return thetas, thetas @ X.T - y
