"""Spiked matrix-tensor model: definition, Bayes-optimal theory, dynamics and landscape."""
