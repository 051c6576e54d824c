"""``phase_retrieval_dynamics``: loss and overlap vs time of spherical gradient descent.

Sarao Mannelli, Biroli, Cammarota, Krzakala, Urbani, Zdeborová, *Complex Dynamics in Simple
Neural Networks: Understanding Gradient Flow in Phase Retrieval*, NeurIPS 2020
(arXiv:2006.06997), Fig. 2; one instance below and one above the finite-size threshold.
"""
