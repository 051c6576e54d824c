"""``sgd_three_clusters_batch``: SGD on three clusters for several batch fractions.

Mignacco, Krzakala, Urbani, Zdeborová, *Dynamical mean-field theory for stochastic gradient
descent in Gaussian mixture classification*, NeurIPS 2020 (arXiv:2006.06098),
Fig. 3: smaller batches escape m ~ 0 more slowly but generalise better late.
"""
