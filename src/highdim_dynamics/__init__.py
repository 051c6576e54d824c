"""Reproducibility package for gradient dynamics in high-dimensional non-convex problems.

Subpackages hold one family of models each (``spiked``, ``landscape``,
``phase_retrieval``, ``gaussian_mixture``); the modules at this level hold what all
families share: argument validation, seeding, progress reports, the figure table and
the figure runner.
"""

__version__ = "0.1.0"
