"""Spiked matrix-tensor model: definition, Bayes-optimal theory, dynamics and landscape.

The main computations, importable from here (``docs/spiked.md`` shows them at work):

* the model: :class:`SpikedMatrixTensor`, :func:`draw_instance` (a finite-N instance);
* Bayes-optimal phases (PRX 2020, Sec. III): :func:`bayes_optimal_thresholds`,
  :func:`iterate_state_evolution`, :func:`free_entropy`;
* closed-form algorithmic lines: :func:`ml_amp_line`, :func:`gradient_flow_line`,
  :func:`langevin_line`;
* the DMFT of Langevin dynamics and gradient flow (PRX 2020, Sec. IV; NeurIPS 2019):
  :func:`langevin_dmft` (Kim-Latz adaptive grid), :func:`multiresolution_dmft` (fixed
  step, multi-resolution memory); finite-N Langevin: :func:`simulate_langevin`.
"""

from .algorithmic_lines import gradient_flow_line, langevin_line, ml_amp_line
from .bayes_optimal import bayes_optimal_thresholds, free_entropy, iterate_state_evolution
from .instance import draw_instance
from .model import SpikedMatrixTensor

# DMFT solvers
from .langevin_dmft import langevin_dmft
from .multiresolution_dmft import multiresolution_dmft
from .langevin_simulation import simulate_langevin

__all__ = [
    "SpikedMatrixTensor", "draw_instance",
    "bayes_optimal_thresholds", "iterate_state_evolution", "free_entropy",
    "ml_amp_line", "gradient_flow_line", "langevin_line",
    "langevin_dmft", "multiresolution_dmft", "simulate_langevin",
]
