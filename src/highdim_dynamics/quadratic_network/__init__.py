"""Over-parametrised two-layer networks with quadratic activation (arXiv:2006.15459).

Modules: :mod:`.model` (teacher, inputs, labels), :mod:`.gradient_flow` (batched gradient
flow of the student and its success classification; numba kernels in :mod:`._kernels`),
:mod:`.uniqueness` (the uniqueness SDP with a verified dual certificate).
"""

from .gradient_flow import quadratic_network_flow
from .model import labels, sample_inputs, sample_instance, sample_teacher, teacher_rank
from .uniqueness import SDP_SOLVERS, uniqueness_sdp, uniqueness_sdp_runs

__all__ = [
    "quadratic_network_flow",
    "labels",
    "sample_inputs",
    "sample_instance",
    "sample_teacher",
    "teacher_rank",
    "SDP_SOLVERS",
    "uniqueness_sdp",
    "uniqueness_sdp_runs",
]
