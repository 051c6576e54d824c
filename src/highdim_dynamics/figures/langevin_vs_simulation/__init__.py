"""Figure ``langevin_vs_simulation``: DMFT against finite-N Langevin simulations.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Fig. 3 (simulations): C̄(t) and e(t) of the N → ∞ DMFT beside spherical Langevin on
independent instances at two sizes N, whose finite-size bias shrinks with N.
"""
