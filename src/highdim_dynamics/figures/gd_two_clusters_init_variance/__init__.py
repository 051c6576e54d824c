"""``gd_two_clusters_init_variance``: full-batch GD on two clusters from several initial variances.

Mignacco, Krzakala, Urbani, Zdeborová, *Dynamical mean-field theory for stochastic gradient
descent in Gaussian mixture classification*, NeurIPS 2020 (arXiv:2006.06098),
Fig. 1: from R = 0 the first step is the Hebbian, Bayes-optimal classifier.
"""
