"""Argument checks shared by the whole library.

Every public function validates its arguments with these helpers before any compute
starts, so that a notebook user and the workflow get the same message, one that names
the parameter and the offending value.  Numerical failures (NaN/inf, a step that is too
large, a fixed point that does not converge) raise :class:`DivergenceError` with a hint
on what to change; nothing with NaN is ever returned as a result.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Iterable, Sequence

import numpy as np

from .errors import DivergenceError, ParameterError  # noqa: F401  (defined without numpy)


def _is_real(value) -> bool:
    return isinstance(value, (Real, np.floating, np.integer)) and not isinstance(value, bool)


def real(name: str, value) -> float:
    """Return ``value`` as a finite float or raise :class:`ParameterError`."""
    if not _is_real(value) or not math.isfinite(float(value)):
        raise ParameterError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def positive(name: str, value) -> float:
    """A finite number > 0 (noise variances, times, step sizes, ...)."""
    x = real(name, value)
    if x <= 0:
        raise ParameterError(f"{name} must be > 0, got {value!r}")
    return x


def nonnegative(name: str, value) -> float:
    """A finite number >= 0 (temperatures, initial variances, ridge penalties, ...)."""
    x = real(name, value)
    if x < 0:
        raise ParameterError(f"{name} must be >= 0, got {value!r}")
    return x


def in_interval(name: str, value, low: float, high: float, *, closed: str = "neither") -> float:
    """A finite number in an interval; ``closed`` is 'neither', 'left', 'right' or 'both'."""
    x = real(name, value)
    left_ok = x >= low if closed in ("left", "both") else x > low
    right_ok = x <= high if closed in ("right", "both") else x < high
    if not (left_ok and right_ok):
        lb = "[" if closed in ("left", "both") else "("
        rb = "]" if closed in ("right", "both") else ")"
        raise ParameterError(f"{name} must lie in {lb}{low}, {high}{rb}, got {value!r}")
    return x


def integer(name: str, value, minimum: int | None = None) -> int:
    """An integer (floats such as 3.5 or 3.0 are rejected: ``p`` must be written as 3)."""
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        raise ParameterError(f"{name} must be an integer, got {value!r}")
    n = int(value)
    if minimum is not None and n < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return n


def choice(name: str, value, options: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    options = list(options)
    if value not in options:
        raise ParameterError(f"{name} must be one of {options}, got {value!r}")
    return value


def sequence(name: str, values, check, **kwargs) -> list:
    """Apply ``check`` to every element of a non-empty sequence, naming ``name[i]``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ParameterError(f"{name} must be a list, got {values!r}")
    if len(values) == 0:
        raise ParameterError(f"{name} must not be empty")
    return [check(f"{name}[{i}]", v, **kwargs) for i, v in enumerate(values)]


def require_finite(what: str, array, hint: str = "") -> np.ndarray:
    """Raise :class:`DivergenceError` if ``array`` has NaN or inf, else return it."""
    arr = np.asarray(array)
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr.ravel()))[0]
        msg = f"{what} diverged (non-finite value at flat index {bad})"
        raise DivergenceError(msg + (f"; {hint}" if hint else ""))
    return arr
