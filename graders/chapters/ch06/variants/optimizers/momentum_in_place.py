"""momentum_step updates the caller's θ and V in place (V *= β; V -= η∇c; θ += V) and returns them."""


def momentum_step(theta, V, grad, eta, beta):
    V *= beta
    V -= eta * grad
    theta += V
    return theta, V
