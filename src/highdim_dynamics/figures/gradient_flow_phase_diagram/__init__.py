"""Figure ``gradient_flow_phase_diagram``: landscape and algorithmic thresholds.

ICML 2019 (Sarao Mannelli et al., "Passed & Spurious"), Fig. 1: in the plane x = Δp,
y = 1/Δ2, for p = 3 and p = 4, the Kac-Rice trivialisation lines (annealed complexity of
spurious minima), the gradient-flow line (BBP of the threshold minima, θ = 1), the ML-AMP
line, the Langevin T = 1 line, over the Bayes-optimal phases (AMP / IT lines), with
gradient-flow DMFT points.
"""
