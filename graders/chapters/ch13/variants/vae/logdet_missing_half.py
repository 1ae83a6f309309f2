"""log|det ∂z/∂ε| as Σ logvar, missing the ½ (log σ, not log σ²)."""


def reparam_logdet(logvar):
    return logvar.sum(dim=1)
