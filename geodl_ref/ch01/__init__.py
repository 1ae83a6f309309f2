"""Chapter 1 — mathematical preliminaries: Kronecker/VEC, matrix calculus, frames, convex conjugates, duality."""
