"""Phase retrieval by spherical gradient flow (arXiv:2006.06997).

The main computations are importable from here (``__all__``; ``docs/phase_retrieval.md``
shows them at work).

Modules
-------
model
    The phase-retrieval data model and loss (the one definition).
spherical_gradient_flow
    Batched spherical gradient descent (BLAS-3 over initial conditions), adaptive step,
    success / local-minimum classification, end-point tangent Hessians, trajectories.
bayes_optimal
    Free entropy and AMP state evolution of the noiseless |z| GLM: alpha_IT, alpha_AMP, alpha_WR.
threshold_states
    Marginal zero-temperature 1RSB minima, their (yhat, y) law and BBP criterion: alpha_GD.
lu_li
    Lu--Li spectral theory for D = (1/n) sum_mu T(y_mu) a_mu a_mu^T (bulk edge, outlier,
    squared overlap), and its BBP criterion at gradient-flow end points.
finite_size
    Logistic fit of P(success) vs alpha with cluster-bootstrap error bars.

The quadratic networks of arXiv:2006.15459 are :mod:`highdim_dynamics.quadratic_network`.

References: Sarao Mannelli, Biroli, Cammarota, Krzakala, Urbani, Zdeborova, arXiv:2006.06997;
Lu & Li (2019/2020);
Barbier, Krzakala, Macris, Miolane, Zdeborova, PNAS 116, 5451 (2019).
"""

from .bayes_optimal import alpha_amp, alpha_it
from .finite_size import fit_logistic
from .lu_li import law_from_preprocessing, law_from_samples, lu_li_outlier, lu_li_transition
from .model import random_sphere_points, sample_instance
from .spherical_gradient_flow import spherical_gradient_descent
from .threshold_states import alpha_gd, threshold_state

__all__ = [
    "sample_instance",
    "random_sphere_points",
    "spherical_gradient_descent",
    "law_from_preprocessing",
    "law_from_samples",
    "lu_li_outlier",
    "lu_li_transition",
    "fit_logistic",
    "alpha_it",
    "alpha_amp",
    "threshold_state",
    "alpha_gd",
]
