"""Figure ``bayes_optimal_phase_diagram``: phases of the spiked matrix-tensor model.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Fig. 1, and ICML 2019 ("Passed & Spurious"), Fig. 1: in the plane x = Δp, y = 1/Δ2,
the Bayes-optimal phases (easy above the AMP line, hard between the IT and AMP lines,
impossible below the IT line) with the spinodal, and the closed-form algorithmic lines
of ML-AMP, gradient flow and Langevin at T = 1.
"""
