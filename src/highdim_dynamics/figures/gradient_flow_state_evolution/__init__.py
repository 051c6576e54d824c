"""Figure ``gradient_flow_state_evolution``: DMFT of gradient flow (T = 0) for several 1/Δ2.

NeurIPS 2019 (Sarao Mannelli et al., "Who is Afraid of Big Bad Minima?"), Fig. 2: the
overlap C̄(t) and the energy e(t); above the gradient-flow line the overlap escapes after
a plateau at the threshold energy and ends on the ML-AMP fixed point.
"""
