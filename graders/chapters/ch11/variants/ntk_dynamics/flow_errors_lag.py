"""The residuals lag one step: errors[k] is taken after the update, e_{k+1}, with e_T repeated at the end."""


def gradient_flow_lsq(X, y, theta0, dt, T):
    thetas = np.empty((T + 1, X.shape[1]))
    thetas[0] = theta0
    for k in range(T):
        thetas[k + 1] = thetas[k] - dt * (X.T @ (X @ thetas[k] - y))
    errors = thetas @ X.T - y
    return thetas, np.vstack([errors[1:], errors[-1:]])
