"""Flow.log_prob subtracting the log-determinants instead of adding them."""


def _log_prob_minus(self, x):
    z, logdet = self(x)
    return -0.5 * (z ** 2).sum(dim=1) - 0.5 * z.shape[1] * math.log(2 * math.pi) - logdet


Flow.log_prob = _log_prob_minus
