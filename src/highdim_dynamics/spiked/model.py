"""The planted mixed 2+p spherical (spiked matrix-tensor) model: the one definition.

Conventions (Sarao Mannelli et al., PRX 2020, Sec. II; ``docs/spiked.md``): signal and estimate on the sphere |x|^2 = N; a matrix channel of noise variance
``delta2`` and an order-``p`` tensor channel of noise variance ``delta_p``.  The
correlation function of the Hamiltonian is N f(q), and the overlap-dependent part of the
dynamics and of the state evolution enters only through

    Q(x)   = x^2/(2 Δ2) + x^p/(p Δp),
    Q'(x)  = x/Δ2 + x^(p-1)/Δp,
    Q''(x) = 1/Δ2 + (p-1) x^(p-2)/Δp.

(f = Q for this model.)  Simulation, DMFT, Kac-Rice and state-evolution code all import
these functions; the scalar versions are numba-compiled so kernels can call them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from highdim_dynamics.core.jit import jit
from highdim_dynamics.core.validation import (ParameterError, in_interval, integer, nonnegative,
                                              positive)


@jit
def q_fun(x, p, delta2, delta_p):
    """Q(x) = x²/(2Δ2) + x^p/(pΔp)."""
    return x * x / (2.0 * delta2) + x**p / (p * delta_p)


@jit
def q_prime(x, p, delta2, delta_p):
    """Q'(x) = x/Δ2 + x^(p-1)/Δp."""
    return x / delta2 + x ** (p - 1) / delta_p


@jit
def q_second(x, p, delta2, delta_p):
    """Q''(x) = 1/Δ2 + (p-1) x^(p-2)/Δp."""
    return 1.0 / delta2 + (p - 1) * x ** (p - 2) / delta_p


@dataclass(frozen=True)
class SpikedMatrixTensor:
    """Parameters of the 2+p model, validated on construction.

    Parameters
    ----------
    p : int
        Order of the tensor channel, an integer >= 3.
    delta2 : float
        Noise variance of the matrix channel, > 0.
    delta_p : float
        Noise variance of the tensor channel, > 0.
    """

    p: int
    delta2: float
    delta_p: float

    def __post_init__(self):
        object.__setattr__(self, "p", integer("p", self.p, minimum=3))
        object.__setattr__(self, "delta2", positive("delta2", self.delta2))
        object.__setattr__(self, "delta_p", positive("delta_p", self.delta_p))

    def Q(self, x):
        """Q(x), vectorised over numpy arrays."""
        x = np.asarray(x, dtype=float)
        return x**2 / (2 * self.delta2) + x**self.p / (self.p * self.delta_p)

    def dQ(self, x):
        """Q'(x), vectorised."""
        x = np.asarray(x, dtype=float)
        return x / self.delta2 + x ** (self.p - 1) / self.delta_p

    def d2Q(self, x):
        """Q''(x), vectorised."""
        x = np.asarray(x, dtype=float)
        return 1 / self.delta2 + (self.p - 1) * x ** (self.p - 2) / self.delta_p

    @property
    def sigma2(self) -> float:
        """σ² = Q''(1) = 1/Δ2 + (p-1)/Δp: the tangent Hessian's GOE variance scale."""
        return float(self.d2Q(1.0))


def validate_model(p, delta2, delta_p, temperature=None, cbar0=None, t_max=None):
    """Validate the model arguments shared by the DMFT, simulations and thresholds."""
    out = dict(p=integer("p", p, minimum=3), delta2=positive("delta2", delta2),
               delta_p=positive("delta_p", delta_p))
    if temperature is not None:
        out["temperature"] = nonnegative("temperature", temperature)
    if cbar0 is not None:
        out["cbar0"] = in_interval("cbar0", cbar0, 0.0, 1.0)
    if t_max is not None:
        out["t_max"] = positive("t_max", t_max)
    return out


def explicit_rate_bound(temperature, delta2, delta_p):
    """T + 1 + Q'(1) = T + 1 + 1/Δ2 + 1/Δp: a bound on μ, the fastest relaxation rate.

    The explicit (Heun) integrators, :mod:`.dmft_reference.uniform_grid` and
    :mod:`.dmft_reference.multiresolution`, need h times this below 1.
    """
    return temperature + 1.0 + 1.0 / delta2 + 1.0 / delta_p


def check_explicit_step(h, temperature, delta2, delta_p):
    """Raise a named ParameterError unless h·(T + 1 + Q'(1)) < 1; return h."""
    bound = explicit_rate_bound(temperature, delta2, delta_p)
    if h * bound >= 1.0:
        raise ParameterError(f"h = {h!r} too large for the explicit scheme: need h·(T + 1 + "
                             f"Q'(1)) < 1, i.e. h < {1.0 / bound:.4g}")
    return h
