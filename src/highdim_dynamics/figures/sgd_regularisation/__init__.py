"""``sgd_regularisation``: SGD with a ridge penalty on two and three clusters (and the hinge).

Mignacco, Krzakala, Urbani, Zdeborová, *Dynamical mean-field theory for stochastic gradient
descent in Gaussian mixture classification*, NeurIPS 2020 (arXiv:2006.06098),
Fig. 4: effect of the penalty lambda on the generalisation error.
"""
