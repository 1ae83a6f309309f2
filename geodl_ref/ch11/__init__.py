"""Chapter 11 — Deep learning optimization: Polyak–Łojasiewicz convergence of gradient descent and
the neural tangent kernel's linear dynamics."""
