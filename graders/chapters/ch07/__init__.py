"""Chapter 7 — CNNs: the grader spec.

Each exercise names what it forbids (CURRICULUM.md): the numpy exercises forbid torch, which would
hand over the very layers and gradients they ask for; the training exercise uses torch.
"""
from graders.authoring import Chapter

chapter = Chapter("ch07", title="CNNs", preload=("numpy", "torch"),
                  exercises=("conv2d", "pool_unpool", "arch_arithmetic", "losses_regularizers", "train_digits_cnn",
                             "sym_cnn"))
