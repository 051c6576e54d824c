"""Finite-N spiked matrix-tensor instances and the dynamics run on them.

:mod:`.instance` (packed symmetric tensor, energy, gradient, Hessian),
:mod:`.langevin_simulation` (Langevin with optional annealing, PRX 2020),
:mod:`.gradient_descent` (projected gradient descent to a minimum, ICML 2019).
"""
