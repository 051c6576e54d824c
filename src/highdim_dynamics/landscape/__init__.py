"""Figure code of the spiked-model landscape (Passed & Spurious, ICML 2019; NeurIPS 2019).

The landscape theory lives in :mod:`highdim_dynamics.spiked.theory` (Kac-Rice complexity,
thresholds, threshold Hessian) and finite-N gradient descent in
:mod:`highdim_dynamics.spiked.finite_n`; this package holds only the figures' data, plot
and check functions (``docs/landscape.md``).
"""
