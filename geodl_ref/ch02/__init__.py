"""Chapter 2 — linear and kernel classifiers: hard/soft-margin and kernel SVMs, kernels and feature maps."""
