"""``phase_retrieval_success``: P(success) of spherical gradient descent vs alpha = n/p.

Sarao Mannelli, Biroli, Cammarota, Krzakala, Urbani, Zdeborová, *Complex Dynamics in Simple
Neural Networks: Understanding Gradient Flow in Phase Retrieval*, NeurIPS 2020
(arXiv:2006.06997), Fig. 1; with the computed thresholds alpha_IT, alpha_AMP and alpha_GD.
"""
