"""``sgd_two_clusters_persistence``: SGD vs persistent SGD on two clusters, DMFT and simulations.

Mignacco, Krzakala, Urbani, Zdeborová, *Dynamical mean-field theory for stochastic gradient
descent in Gaussian mixture classification*, NeurIPS 2020 (arXiv:2006.06098),
Fig. 2: persistent SGD approaches SGD as its persistence time decreases towards eta/b.
"""
