"""The planted mixed 2+p spherical (spiked matrix-tensor) model: the one definition.

Conventions (Sarao Mannelli et al., PRX 2020, Sec. II; ``docs/spiked.md``): signal and estimate on the sphere |x|^2 = N; a matrix channel of noise variance
``delta2`` and an order-``p`` tensor channel of noise variance ``delta_p``.  The
correlation function of the Hamiltonian is N f(q), and the overlap-dependent part of the
dynamics and of the state evolution enters only through

    Q(x)   = x^2/(2 Δ2) + x^p/(p Δp),
    Q'(x)  = x/Δ2 + x^(p-1)/Δp,
    Q''(x) = 1/Δ2 + (p-1) x^(p-2)/Δp.

(f = Q for this model.)  Simulation, DMFT, Kac-Rice and state-evolution code all import
these functions (:func:`Q`, :func:`dQ`, :func:`d2Q`; compiled for the kernels as
``q_fun``, ``q_prime``, ``q_second``), the annealing schedule (:func:`delta_p_eff`,
:func:`anneal_weight`) and the AMP fixed points (:func:`bayes_amp_fixed_point`,
:func:`ml_amp_fixed_point`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from highdim_dynamics.core.jit import jit
from highdim_dynamics.core.validation import (
    Int,
    ParameterError,
    Real,
    constrained,
    in_interval,
    integer,
    nonnegative,
    positive,
)

#: Domains of the model parameters (the constraint table of every function of (p, Δ2, Δp)).
MODEL_CONSTRAINTS = dict(p=Int(3), delta2=Real(gt=0), delta_p=Real(gt=0))


def Q(x, p, delta2, delta_p):
    """Q(x) = x²/(2Δ2) + x^p/(pΔp); numpy, broadcasts over arrays (``q_fun``: compiled)."""
    return x * x / (2.0 * delta2) + x**p / (p * delta_p)


def dQ(x, p, delta2, delta_p):
    """Q'(x) = x/Δ2 + x^(p-1)/Δp; numpy, broadcasts (``q_prime``: compiled)."""
    return x / delta2 + x ** (p - 1) / delta_p


def d2Q(x, p, delta2, delta_p):
    """Q''(x) = 1/Δ2 + (p-1) x^(p-2)/Δp; numpy, broadcasts (``q_second``: compiled)."""
    return 1.0 / delta2 + (p - 1) * x ** (p - 2) / delta_p


#: The same three functions compiled by numba (scalars), for the kernels; with annealing
#: the kernels pass Δp_eff(t) = Δp / a(t) as ``delta_p``.
q_fun, q_prime, q_second = jit(Q), jit(dQ), jit(d2Q)


@constrained(MODEL_CONSTRAINTS)
def ml_amp_fixed_point(p, delta2, delta_p):
    """Largest root m* in (0, 1) of m = Q'(m)/√(Q'(m)² + Q'(1)), and B = √(Q'(m*)² + Q'(1)).

    The ML-AMP / gradient-flow fixed point (ICML 2019 Sec. 3; the isolated good minimum of
    the landscape, NeurIPS 2019).  Sign changes of m√(Q'² + Q'(1)) − Q' on a grid of 20001
    points, then 60 bisections (to rounding).  Returns (0.0, √Q'(1)) when only the
    uninformative m = 0 exists.
    """
    f1 = 1.0 / delta2 + 1.0 / delta_p
    m = np.linspace(1e-6, 1.0 - 1e-9, 20001)
    dq = dQ(m, p, delta2, delta_p)
    g = m * np.sqrt(dq * dq + f1) - dq
    crossing = np.flatnonzero(np.sign(g[:-1]) != np.sign(g[1:]))
    if crossing.size == 0:
        return 0.0, float(np.sqrt(f1))
    i = crossing[-1]
    a, b = m[i], m[i + 1]
    ga = g[i]
    for _ in range(60):
        c = 0.5 * (a + b)
        dqc = dQ(c, p, delta2, delta_p)
        gc = c * np.sqrt(dqc * dqc + f1) - dqc
        if np.sign(gc) == np.sign(ga):
            a, ga = c, gc
        else:
            b = c
    mstar = float(0.5 * (a + b))
    return mstar, float(np.sqrt(dQ(mstar, p, delta2, delta_p) ** 2 + f1))


@jit
def delta_p_eff(t, delta_p, c, tau, t_hold):
    """Δp_eff(t) = Δp + c e^{−t/τ} for t > t_hold, Δp + c for t <= t_hold (annealing).

    PRX 2020, Sec. VII (as the authors' public Langevin code defines it): every tensor term
    of the Hamiltonian used by the algorithm at time t is divided by Tp(t) = Δp_eff(t)/Δp;
    the paper's protocol is c = 100, τ = 70, t_hold = 1.
    """
    return delta_p + c * (1.0 if t <= t_hold else math.exp(-t / tau))


@jit
def anneal_weight(t, delta_p, c, tau, t_hold):
    """a(t) = Δp / Δp_eff(t) = 1 / Tp(t) (1 exactly when c = 0).

    In the DMFT the signal term at time t carries a(t) and the noise kernel between t and s
    carries a(t) a(s) (the same Gaussian tensor at both times, each scaled once); the
    kernels evaluate Q, Q', Q'' at Δp/a.
    """
    if c == 0.0:
        return 1.0
    return delta_p / delta_p_eff(t, delta_p, c, tau, t_hold)


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
        return Q(np.asarray(x, dtype=float), self.p, self.delta2, self.delta_p)

    def dQ(self, x):
        """Q'(x), vectorised."""
        return dQ(np.asarray(x, dtype=float), self.p, self.delta2, self.delta_p)

    def d2Q(self, x):
        """Q''(x), vectorised."""
        return d2Q(np.asarray(x, dtype=float), self.p, self.delta2, self.delta_p)

    @property
    def sigma2(self) -> float:
        """σ² = Q''(1) = 1/Δ2 + (p-1)/Δp: the tangent Hessian's GOE variance scale."""
        return float(self.d2Q(1.0))


def validate_model(p, delta2, delta_p, temperature=None, cbar0=None, t_max=None):
    """Validate the model arguments shared by the DMFT, simulations and thresholds."""
    out = dict(
        p=integer("p", p, minimum=3),
        delta2=positive("delta2", delta2),
        delta_p=positive("delta_p", delta_p),
    )
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
        raise ParameterError(
            f"h = {h!r} too large for the explicit scheme: need h·(T + 1 + "
            f"Q'(1)) < 1, i.e. h < {1.0 / bound:.4g}"
        )
    return h
