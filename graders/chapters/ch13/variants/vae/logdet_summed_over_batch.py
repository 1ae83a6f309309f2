"""log|det| summed over the whole batch into one number instead of one per sample."""


def reparam_logdet(logvar):
    return 0.5 * logvar.sum()
