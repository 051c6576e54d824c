"""Figure ``langevin_threshold``: the Langevin threshold Δ2* from the DMFT.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Fig. 4: the late growth rate of the overlap in the linear regime and the escape time at
fixed C̄(0) against Δ2, and the extrapolated threshold against the closed-form line.
"""
