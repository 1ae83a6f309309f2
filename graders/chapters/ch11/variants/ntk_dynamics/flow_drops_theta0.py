"""The trajectory leaves out θ0: T rows θ_1..θ_T."""


def gradient_flow_lsq(X, y, theta0, dt, T):
    theta, thetas = np.array(theta0, dtype=float), []
    for _ in range(T):
        theta = theta - dt * (X.T @ (X @ theta - y))
        thetas.append(theta)
    thetas = np.array(thetas).reshape(T, X.shape[1])
    return thetas, thetas @ X.T - y
