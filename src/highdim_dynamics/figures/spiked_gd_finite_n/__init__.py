"""Figure ``spiked_gd_finite_n``: projected gradient descent on finite-N instances.

A new figure in the spirit of ICML 2019 ("Passed & Spurious") and NeurIPS 2019 ("Who is
Afraid of Big Bad Minima?"): p = 3, Δp = 1, the fraction of runs from a random start that
leave the equator and the overlap they reach, vs 1/Δ2, for several N, against the
closed-form gradient-flow line and the Kac-Rice isolated minima (the good one at m*, the
ML-AMP fixed point, and for odd p the anti-aligned one at m < 0).

Success criteria (both reported; per run the CSV holds the overlap itself): **escape**,
|m| > 0.5 (the run left the threshold states at m ≈ 0); **aligned**, m > 0.5 (it reached
the good minimum).  For odd p an isolated minimum anti-aligned with x* exists at every
1/Δ2 (Kac-Rice), and a sizeable fraction of the escaping runs falls into it, so the
aligned fraction saturates well below 1.
"""
