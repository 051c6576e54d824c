"""Closed-form and variational theory of the spiked matrix-tensor model.

:mod:`.bayes_optimal` (AMP state evolution and free entropy, PRX 2020 Sec. III),
:mod:`.algorithmic_lines` (ML-AMP, gradient-flow and Langevin lines), :mod:`.kac_rice` and
:mod:`.kac_rice_quadrature` (annealed complexity of minima, ICML 2019 / NeurIPS 2019),
:mod:`.thresholds` (landscape lines, good minimum, threshold energy), :mod:`.minima`
(the isolated minima: good and anti-aligned),
:mod:`.threshold_hessian` (Hessian spectrum at threshold states, BBP).
"""
