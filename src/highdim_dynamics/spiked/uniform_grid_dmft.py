"""Deprecated location: the uniform-grid solver is :mod:`.dmft_reference.uniform_grid`.

Kept importable until the figures and benchmarks move to :mod:`.dmft_reference`.
"""

from .dmft_reference.uniform_grid import (  # noqa: F401
    _rhs,
    crossing_time,
    richardson,
    richardson_escape_time,
    uniform_grid_dmft,
)
