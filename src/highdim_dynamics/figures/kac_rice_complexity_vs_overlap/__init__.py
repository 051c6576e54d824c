"""Figure ``kac_rice_complexity_vs_overlap``: complexity of minima against the overlap.

ICML 2019 (Sarao Mannelli et al., "Passed & Spurious"), Fig. 2: the annealed Kac-Rice
complexity Σ(m) of minima, maximised over the energies, for several 1/Δ2 at fixed
(p, Δp). The band of spurious minima around m = 0 shrinks and disappears as 1/Δ2 grows;
the good minimum at m* (and, for odd p, the anti-aligned one at m < 0) are isolated
points where Σ touches 0.
"""
