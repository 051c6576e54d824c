"""``phase_retrieval_threshold_theory``: Lu–Li / BBP theory of the escape toward the signal.

Sarao Mannelli, Biroli, Cammarota, Krzakala, Urbani, Zdeborová, *Complex Dynamics in Simple
Neural Networks: Understanding Gradient Flow in Phase Retrieval*, NeurIPS 2020
(arXiv:2006.06997), Fig. 3 (threshold states and the BBP instability), with a test function
of known transition and the measured end-point Hessians.
"""
