"""``overparam_success``: gradient flow of over-parametrised quadratic networks.

Sarao Mannelli, Vanden-Eijnden, Zdeborová, *Optimization and Generalization of Shallow
Neural Networks with Quadratic Activation Functions*, NeurIPS 2020 (arXiv:2006.15459),
Figs. 1-2: P(success) vs alpha = n/d for several widths, exact uniqueness by a semidefinite
program on the same instances, and the convergence laws.
"""
