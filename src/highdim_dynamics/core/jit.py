"""The one place where numba's compilation options are set.

Every numerical kernel of the package is compiled with :func:`jit` (serial) or
:func:`pjit` (``prange`` loops), so that caching and floating-point options are the
same everywhere.  Kernels are plain functions over arrays: no Python objects, no
random draws inside parallel loops (draw in Python and pass arrays, or pass per-run
seeds), output written into preallocated arrays or returned.
"""

from __future__ import annotations

import numba

#: Options shared by all kernels. ``fastmath`` stays off: results must not depend on
#: reassociation, so that a CSV is byte-identical whatever the machine's vector width.
JIT_OPTIONS = dict(cache=True, nogil=True, fastmath=False, error_model="numpy")


def jit(function=None, **extra):
    """Compile ``function`` with the package's serial options (``numba.njit``)."""
    options = {**JIT_OPTIONS, **extra}
    if function is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(function)


def pjit(function=None, **extra):
    """Compile ``function`` with ``parallel=True`` for kernels that use ``numba.prange``."""
    return jit(function, parallel=True, **extra)


def set_threads(threads: int | None) -> int:
    """Set numba's thread count (capped at what numba was started with); return it."""
    if threads is not None:
        numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))
    return numba.get_num_threads()
