"""The base log-density without its −(d/2) log 2π term: the density no longer integrates to 1."""


def _log_prob_unnormalized(self, x):
    z, logdet = self(x)
    return -0.5 * (z ** 2).sum(dim=1) + logdet


Flow.log_prob = _log_prob_unnormalized
