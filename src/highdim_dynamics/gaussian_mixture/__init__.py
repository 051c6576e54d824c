"""Gaussian-mixture classification: finite-p (S)GD simulations and their sampled DMFT.

Mignacco, Krzakala, Urbani, Zdeborová (NeurIPS 2020, arXiv:2006.06098).
"""
