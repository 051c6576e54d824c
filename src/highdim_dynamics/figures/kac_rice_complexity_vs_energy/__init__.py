"""Figure ``kac_rice_complexity_vs_energy``: complexity against the energy at m = 0.

NeurIPS 2019 (Sarao Mannelli et al., "Who is Afraid of Big Bad Minima?"), "increasing the
SNR": at m = 0, Σ(ε) of minima for increasing 1/Δ2, with the complexity of critical points
whose Hessian bulk is positive (no BBP cost) for comparison: above the gradient-flow line
the highest (threshold) minima acquire a negative outlier and turn into saddles first.
"""
