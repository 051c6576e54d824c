"""Figure ``langevin_phase_diagram``: DMFT Langevin threshold points on the phase diagram.

PRX 2020 (Sarao Mannelli et al., "Marvels and Pitfalls of the Langevin Algorithm"),
Fig. 5: the T = 1 Langevin threshold found from the DMFT at several (p, Δp), against the
closed-form Langevin line, with the Bayes-optimal AMP and IT lines.
"""
