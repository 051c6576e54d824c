"""Argument checks shared by the whole library.

Every public function validates its arguments with these helpers before any compute
starts, so that a notebook user and the workflow get the same message, one that names
the parameter and the offending value.  Numerical failures (NaN/inf, a step that is too
large, a fixed point that does not converge) raise :class:`DivergenceError` with a hint
on what to change; nothing with NaN is ever returned as a result.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Iterable, Sequence
from numbers import Integral
from numbers import Real as _RealNumber

import numpy as np

from highdim_dynamics.core.errors import DivergenceError, ParameterError  # noqa: F401  (defined without numpy)


def _is_real(value) -> bool:
    return isinstance(value, (_RealNumber, np.floating, np.integer)) and not isinstance(value, bool)


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


# -- declarative argument constraints ---------------------------------------------------
#
# A public function declares the domain of each argument once, in a table passed to
# :func:`constrained`; the decorator checks a call before the body runs, and the workflow
# runs the same check (``check_call``) on a figure's parameters while the DAG is built, so
# a notebook user and a Snakemake user read the same message.


class Constraint:
    """Domain of one argument: ``check(name, value)`` returns the value or raises."""

    def check(self, name: str, value):  # pragma: no cover - interface
        raise NotImplementedError


class Real(Constraint):
    """A finite real number with optional bounds ``gt``, ``ge``, ``lt``, ``le``."""

    def __init__(self, *, gt=None, ge=None, lt=None, le=None):
        self.gt, self.ge, self.lt, self.le = gt, ge, lt, le

    def check(self, name, value):
        x = real(name, value)
        if self.gt is not None and self.lt is not None:
            return in_interval(name, x, self.gt, self.lt)
        if self.ge is not None and self.le is not None:
            return in_interval(name, x, self.ge, self.le, closed="both")
        if self.gt is not None and self.le is not None:
            return in_interval(name, x, self.gt, self.le, closed="right")
        if self.ge is not None and self.lt is not None:
            return in_interval(name, x, self.ge, self.lt, closed="left")
        for bound, ok, sign in (
            (self.gt, lambda b: x > b, ">"),
            (self.ge, lambda b: x >= b, ">="),
            (self.lt, lambda b: x < b, "<"),
            (self.le, lambda b: x <= b, "<="),
        ):
            if bound is not None and not ok(bound):
                raise ParameterError(f"{name} must be {sign} {bound}, got {value!r}")
        return x


class Int(Constraint):
    """An integer (3.0 is refused: write 3) with an optional ``min`` and ``max``."""

    def __init__(self, min=None, max=None):
        self.min, self.max = min, max

    def check(self, name, value):
        n = integer(name, value, self.min)
        if self.max is not None and n > self.max:
            raise ParameterError(f"{name} must be an integer <= {self.max}, got {value!r}")
        return n


class FiniteArray(Constraint):
    """A real scalar or array with only finite entries (and optionally all ``>= ge``)."""

    def __init__(self, *, ge=None):
        self.ge = ge

    def check(self, name, value):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a real number or array, got {value!r}") from None
        if not np.all(np.isfinite(arr)):
            raise ParameterError(f"{name} must be finite, got {value!r}")
        if self.ge is not None and np.any(arr < self.ge):
            raise ParameterError(f"{name} must be >= {self.ge}, got {value!r}")
        return value


class Seed(Int):
    """A random seed: an integer >= 0 (what ``numpy.random.SeedSequence`` accepts)."""

    def __init__(self):
        super().__init__(min=0)


class Choice(Constraint):
    """One of a fixed set of values."""

    def __init__(self, *options):
        self.options = options

    def check(self, name, value):
        return choice(name, value, self.options)


class ListOf(Constraint):
    """A non-empty list whose items satisfy ``item``."""

    def __init__(self, item: Constraint):
        self.item = item

    def check(self, name, value):
        return sequence(name, value, self.item.check)


class AnyOf(Constraint):
    """The first of several constraints that accepts the value."""

    def __init__(self, *options: Constraint):
        self.options = options

    def check(self, name, value):
        errors = []
        for option in self.options:
            try:
                return option.check(name, value)
            except ParameterError as err:
                errors.append(str(err))
        raise ParameterError(" or ".join(errors))


class Optional(Constraint):
    """``None`` or a value satisfying ``inner``."""

    def __init__(self, inner: Constraint):
        self.inner = inner

    def check(self, name, value):
        return None if value is None else self.inner.check(name, value)


class Less:
    """Cross-argument relation ``low < high`` (or ``low <= high`` with ``strict=False``)."""

    def __init__(self, low: str, high: str, strict: bool = True):
        self.low, self.high, self.strict = low, high, strict

    def check(self, args: dict) -> None:
        if self.low not in args or self.high not in args:
            return
        a, b = args[self.low], args[self.high]
        if a is None or b is None:
            return
        if (a >= b) if self.strict else (a > b):
            sign = "<" if self.strict else "<="
            raise ParameterError(
                f"{self.low} must be {sign} {self.high}, got {self.low}={a!r} and {self.high}={b!r}"
            )


def check_call(function, /, **kwargs) -> dict:
    """Validate ``kwargs`` against ``function``'s signature and constraint table.

    Returns the bound arguments (defaults applied, values as checked).  Raises
    :class:`ParameterError` for an argument the function does not take, a missing one, or a
    value outside its declared domain; nothing is computed.
    """
    target = inspect.unwrap(function)
    signature = inspect.signature(target)
    name = getattr(target, "__qualname__", repr(target))
    unknown = [
        k
        for k in kwargs
        if k not in signature.parameters
        and not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    ]
    if unknown:
        takes = [p for p in signature.parameters]
        err = ParameterError(f"{name}() takes no argument {unknown[0]!r} (it takes {takes})")
        err.argument, err.value = unknown[0], kwargs[unknown[0]]
        raise err
    try:
        bound = signature.bind(**kwargs)
    except TypeError as err:
        raise ParameterError(f"{name}(): {err}") from None
    bound.apply_defaults()
    args = dict(bound.arguments)
    constraints = getattr(function, "parameter_constraints", {})
    for arg, constraint in constraints.items():
        if arg in args and not (args[arg] is None and signature.parameters[arg].default is None):
            try:
                args[arg] = constraint.check(arg, args[arg])
            except ParameterError as err:
                err.argument, err.value = arg, args[arg]
                raise
    for relation in getattr(function, "parameter_relations", ()):
        relation.check(args)
    return args


def constrained(constraints: dict[str, Constraint], relations: Iterable = ()):
    """Decorator: check every call of the function against ``constraints`` first.

    ``constraints`` maps argument names to :class:`Constraint` objects (arguments not
    listed are passed unchecked); ``relations`` are cross-argument checks such as
    ``Less("delta_p_min", "delta_p_max")``.  The table is kept on the function as
    ``parameter_constraints`` / ``parameter_relations``, which is what the workflow
    checks a figure's parameters against before any job starts.
    """

    def decorate(function):
        signature = inspect.signature(function)
        missing = [k for k in constraints if k not in signature.parameters]
        if missing:
            raise TypeError(f"{function.__qualname__}: constraints for unknown arguments {missing}")

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as err:
                raise ParameterError(f"{function.__qualname__}(): {err}") from None
            return function(**check_call(wrapper, **bound.arguments))

        wrapper.parameter_constraints = dict(constraints)
        wrapper.parameter_relations = tuple(relations)
        return wrapper

    return decorate


class Rule:
    """Cross-argument check ``function(**{name: value})`` that raises :class:`ParameterError`.

    For constraints that are not a simple order, e.g. the stability bound of an explicit
    step that depends on the model's parameters.
    """

    def __init__(self, function, *names: str):
        self.function, self.names = function, names

    def check(self, args: dict) -> None:
        if all(n in args for n in self.names):
            self.function(**{n: args[n] for n in self.names})


def step_bound(name: str, value: float, limit: float, why: str) -> float:
    """Refuse an explicit step ``value`` above its stability ``limit`` (before any compute)."""
    if value > limit:
        raise ParameterError(
            f"{name} = {value!r} exceeds the stability bound {limit:.4g} of the "
            f"explicit step ({why}); use {name} <= {limit:.4g}"
        )
    return value


def check_trajectory(what: str, times, values, *, limit: float = np.inf, hint: str = "") -> None:
    """Raise :class:`DivergenceError` at the first time where ``values`` is not finite or
    exceeds ``limit`` in absolute value (``values``: one row per time, any trailing shape)."""
    arr = np.asarray(values, dtype=float).reshape(len(times), -1)
    bad = ~np.isfinite(arr).all(axis=1) | (np.abs(np.nan_to_num(arr, nan=0.0)) > limit).any(axis=1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        worst = arr[k][~np.isfinite(arr[k]) | (np.abs(arr[k]) > limit)][0]
        raise DivergenceError(
            f"{what} diverged at t = {float(times[k]):.6g} (value {worst:.3g}"
            + (f", beyond {limit:.3g}" if np.isfinite(worst) else "")
            + ")"
            + (f"; {hint}" if hint else "")
        )
