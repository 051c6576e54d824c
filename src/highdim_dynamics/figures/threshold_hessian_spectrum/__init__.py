"""Figure ``threshold_hessian_spectrum``: Hessian at threshold states, theory vs finite N.

NeurIPS 2019 (Sarao Mannelli et al., "Who is Afraid of Big Bad Minima?"): below and above
the gradient-flow line (θ = (1/Δ2)/σ < 1 and > 1), the spectrum of the Riemannian Hessian
at the end points of gradient descent restricted to the equator x·x* = 0 (the m = 0
threshold states) on finite-N instances, against the semicircle of radius 2σ touching 0
and the BBP outlier at σ(2 − θ − 1/θ) with squared overlap 1 − 1/θ² with the signal.
"""
