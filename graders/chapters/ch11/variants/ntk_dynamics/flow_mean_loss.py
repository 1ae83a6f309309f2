"""Gradient of the mean loss (1/2N)‖Xθ − y‖²: the step is divided by N, so the flow runs N times slower."""


def gradient_flow_lsq(X, y, theta0, dt, T):
    thetas = np.empty((T + 1, X.shape[1]))
    thetas[0] = theta0
    for k in range(T):
        thetas[k + 1] = thetas[k] - dt * (X.T @ (X @ thetas[k] - y)) / X.shape[0]
    return thetas, thetas @ X.T - y
