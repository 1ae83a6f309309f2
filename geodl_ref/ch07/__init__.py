"""Chapter 7 — CNNs: convolution layers in numpy, their gradients, and the book's true convolution."""
