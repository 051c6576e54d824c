"""Deprecated location: the multi-resolution solver is :mod:`.dmft_reference.multiresolution`.

Kept importable until the figures move to the production engine; new code imports
:mod:`highdim_dynamics.spiked.dmft_reference`.
"""

from .dmft_reference.multiresolution import (  # noqa: F401
    multiresolution_dmft,
    multiresolution_escape_time,
)
