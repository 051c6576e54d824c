"""``python -m highdim_dynamics``: see :mod:`highdim_dynamics.cli`."""

import sys

from .cli import main

sys.exit(main())
