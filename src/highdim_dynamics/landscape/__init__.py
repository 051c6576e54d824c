"""Landscape of the spiked matrix-tensor model: Kac-Rice complexity, thresholds, Hessians, finite-N descent."""
