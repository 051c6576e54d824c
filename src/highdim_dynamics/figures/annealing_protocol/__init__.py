"""Figure ``annealing_protocol``: Langevin with and without annealing of the tensor noise.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Sec. VII: at a Langevin-hard point (p = 3, Δp = 1, Δ2 = 0.8) the overlap stays near 0
without annealing and reaches the Bayes-AMP fixed point with Δp_eff(t) = Δp + c e^{−t/τ}.
"""
