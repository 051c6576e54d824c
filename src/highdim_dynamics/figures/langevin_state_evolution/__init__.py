"""Figure ``langevin_state_evolution``: DMFT of Langevin at T = 1 for several Δ2.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Fig. 3: the overlap C̄(t) and the Lagrange multiplier μ(t) from an almost uninformative
start; the escape from the equator slows down as Δ2 grows towards the Langevin threshold.
"""
