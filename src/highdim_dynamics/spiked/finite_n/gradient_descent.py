"""Projected gradient descent on finite-N instances of the spiked matrix-tensor model.

One step on the sphere |x|² = N (Riemannian gradient, then retraction by normalisation):

    g = ∇H(x) − (x·∇H/N) x,        x ← √N (x − η g)/|x − η g|,

with η = ``step_factor``/σ, σ = √f''(1) (the tangent Hessian spans about [0, 4σ] at
threshold minima, so GD is stable for η < 2/(4σ), i.e. step_factor < 0.5: the threshold
Hessian of :mod:`highdim_dynamics.spiked.theory.threshold_hessian`).  The run stops when |g|/√N < ``grad_tol`` or after
``t_max/η`` steps; the time reported is η × steps (the continuous time of the flow).

Optionally the descent is restricted to the equator x·x* = 0 (x* projected out of x and
of every gradient): its end points are the threshold states at m = 0 of the Kac-Rice
analysis, used to look at their Hessian above the gradient-flow line, where unrestricted
descent would leave them along the BBP outlier.

Each run draws its instance and its start from its own seed, so results do not depend on
the number of threads; runs of one batch are spread over threads with ``prange``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numba import prange

from highdim_dynamics.core.jit import jit, pjit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (
    DivergenceError,
    ParameterError,
    in_interval,
    integer,
    positive,
)
from highdim_dynamics.spiked.finite_n.instance import (
    draw_instance,
    energy_and_gradient,
    tangent_basis,
)
from highdim_dynamics.spiked.model import SpikedMatrixTensor

__all__ = ["descend", "descent_runs"]


@jit
def _descend_one(x, a_mat, tensor, p, eta, max_steps, grad_tol, u, constrained, grad):
    """In-place projected GD from x; returns (steps, converged, final |grad_S|/√N)."""
    n = x.shape[0]
    sqrt_n = math.sqrt(n)
    gnorm = np.inf
    for step in range(max_steps + 1):
        energy_and_gradient(x, a_mat, tensor, p, grad)
        if constrained:
            gu = 0.0
            for i in range(n):
                gu += grad[i] * u[i]
            for i in range(n):
                grad[i] -= gu * u[i]
        xg = 0.0
        for i in range(n):
            xg += x[i] * grad[i]
        xg /= n
        g2 = 0.0
        for i in range(n):
            grad[i] -= xg * x[i]
            g2 += grad[i] * grad[i]
        gnorm = math.sqrt(g2 / n)
        if not (gnorm < 1e300):
            return step, False, gnorm
        if gnorm < grad_tol:
            return step, True, gnorm
        if step == max_steps:
            break
        norm2 = 0.0
        for i in range(n):
            x[i] -= eta * grad[i]
        if constrained:
            xu = 0.0
            for i in range(n):
                xu += x[i] * u[i]
            for i in range(n):
                x[i] -= xu * u[i]
        for i in range(n):
            norm2 += x[i] * x[i]
        scale = sqrt_n / math.sqrt(norm2)
        for i in range(n):
            x[i] *= scale
    return max_steps, False, gnorm


@pjit
def _descend_batch(
    xs, a_mats, tensors, p, eta, max_steps, grad_tol, us, constrained, steps, converged, gnorms
):
    """Run :func:`_descend_one` on each row of ``xs`` (one instance per row), in parallel."""
    runs, n = xs.shape
    for r in prange(runs):
        grad = np.empty(n)
        s, c, g = _descend_one(
            xs[r], a_mats[r], tensors[r], p, eta, max_steps, grad_tol, us[r], constrained, grad
        )
        steps[r] = s
        converged[r] = c
        gnorms[r] = g


def _random_start(rng, n, u=None):
    g = rng.standard_normal(n)
    if u is not None:
        g -= (g @ u) * u
    return g * (math.sqrt(n) / np.linalg.norm(g))


def descend(
    instance,
    x0,
    *,
    step_factor: float = 0.4,
    t_max: float = 200.0,
    grad_tol: float = 1e-5,
    equator: bool = False,
) -> dict:
    """Projected gradient descent on one instance from ``x0`` (see the module docstring).

    Returns
    -------
    dict
        ``x`` (end point), ``steps``, ``time`` (η × steps), ``converged``, ``grad_norm``
        (|grad_S H|/√N at the end), ``eta``.
    """
    step_factor = in_interval("step_factor", step_factor, 0.0, 0.5)
    t_max, grad_tol = positive("t_max", t_max), positive("grad_tol", grad_tol)
    n = instance.n
    x = np.array(x0, dtype=float)
    if x.shape != (n,):
        raise ParameterError(f"x0 must have shape ({n},), got {x.shape}")
    u = instance.x_star / math.sqrt(n)
    if equator:
        x -= (x @ u) * u
    x *= math.sqrt(n) / np.linalg.norm(x)
    eta = step_factor / math.sqrt(instance.model.sigma2)
    max_steps = int(math.ceil(t_max / eta))
    s, c, g = _descend_one(
        x,
        instance.matrix_couplings,
        instance.tensor_couplings,
        instance.p,
        eta,
        max_steps,
        grad_tol,
        u,
        bool(equator),
        np.empty(n),
    )
    if not np.isfinite(g):
        raise DivergenceError(
            f"gradient descent diverged at t = {eta * s:.6g} (step {s}, "
            f"|grad| = {g}); lower step_factor (now {step_factor})"
        )
    return dict(x=x, steps=int(s), time=eta * s, converged=bool(c), grad_norm=float(g), eta=eta)


def descent_runs(
    model: SpikedMatrixTensor,
    n: int,
    seeds,
    *,
    step_factor: float = 0.4,
    t_max: float = 200.0,
    grad_tol: float = 1e-5,
    equator: bool = False,
    hessian: str = "min",
    progress: Progress | None = None,
    chunk: int = 16,
) -> tuple[pd.DataFrame, list]:
    """Gradient descent from a random start on one fresh instance per seed.

    Parameters
    ----------
    model : SpikedMatrixTensor
        Parameters (p, Δ2, Δp).
    n : int
        Dimension N.
    seeds : sequence of int
        One run per seed: the instance is drawn from ``default_rng(seed)``, then the start
        (uniform on the sphere, or on the equator x·x* = 0 when ``equator``).
    step_factor, t_max, grad_tol, equator
        As in :func:`descend`.
    hessian : {'min', 'full', 'none'}
        'min': smallest eigenvalue of the Riemannian Hessian at the end point; 'full':
        also return every run's spectrum and the signal overlap of each eigenvector.
    chunk : int
        Runs descended together (in parallel over threads); bounds the memory to
        ``chunk`` instances.  Results do not depend on it.

    Returns
    -------
    (DataFrame, list)
        One row per run: ``seed, n, overlap, energy`` (H/N), ``energy2``, ``energy_p``,
        ``t_lagrange`` (−μ/σ), ``grad_norm``, ``converged``, ``time``, ``steps``,
        ``hessian_min``, ``is_minimum`` (``hessian_min`` > 0); and, for 'full', a list of
        (eigenvalues, squared overlaps of the eigenvectors with x*_⊥) per run.
    """
    if not isinstance(model, SpikedMatrixTensor):
        raise ParameterError(f"model must be a SpikedMatrixTensor, got {model!r}")
    n = integer("n", n, minimum=model.p)
    step_factor = in_interval("step_factor", step_factor, 0.0, 0.5)
    t_max, grad_tol = positive("t_max", t_max), positive("grad_tol", grad_tol)
    if hessian not in ("min", "full", "none"):
        raise ParameterError(f"hessian must be 'min', 'full' or 'none', got {hessian!r}")
    seeds = [integer(f"seeds[{i}]", s, minimum=0) for i, s in enumerate(seeds)]
    chunk = integer("chunk", chunk, minimum=1)
    eta = step_factor / math.sqrt(model.sigma2)
    max_steps = int(math.ceil(t_max / eta))
    sigma = math.sqrt(model.sigma2)
    rows, spectra = [], []
    # instances are drawn and descended in chunks: memory ∝ chunk × C(N, p), not runs × C(N, p)
    for lo in range(0, len(seeds), chunk):
        chunk_seeds = seeds[lo : lo + chunk]
        instances, starts = [], []
        for s in chunk_seeds:
            rng = np.random.default_rng(s)
            inst = draw_instance(model, n, rng)
            u = inst.x_star / math.sqrt(n)
            starts.append(_random_start(rng, n, u if equator else None))
            instances.append(inst)
        runs = len(chunk_seeds)
        xs = np.array(starts)
        a_mats = np.array([i.matrix_couplings for i in instances])
        tensors = np.array([i.tensor_couplings for i in instances])
        us = np.array([i.x_star / math.sqrt(n) for i in instances])
        steps = np.zeros(runs, dtype=np.int64)
        conv = np.zeros(runs, dtype=np.bool_)
        gnorms = np.zeros(runs)
        _descend_batch(
            xs,
            a_mats,
            tensors,
            model.p,
            eta,
            max_steps,
            grad_tol,
            us,
            bool(equator),
            steps,
            conv,
            gnorms,
        )
        del tensors
        if not np.all(np.isfinite(gnorms)):
            bad = int(np.flatnonzero(~np.isfinite(gnorms))[0])
            raise DivergenceError(
                f"gradient descent diverged at t = {eta * steps[bad]:.6g} "
                f"(N={n}, {model}, run {bad}); lower step_factor "
                f"(now {step_factor})"
            )
        for r, inst in enumerate(instances):
            x = xs[r]
            h2, hp = inst.energies(x)
            mu = (2 * h2 + model.p * hp) / n
            row = dict(
                seed=chunk_seeds[r],
                n=n,
                overlap=inst.overlap(x),
                energy=(h2 + hp) / n,
                energy2=h2 / n,
                energy_p=hp / n,
                t_lagrange=-mu / sigma,
                grad_norm=gnorms[r],
                converged=bool(conv[r]),
                time=eta * steps[r],
                steps=int(steps[r]),
            )
            if hessian != "none":
                hess = inst.riemannian_hessian(x)
                if hessian == "full":
                    vals, vecs = np.linalg.eigh(hess)
                    b = tangent_basis(x)
                    v = b.T @ inst.signal_tangent_direction(x)
                    spectra.append((vals, (vecs.T @ v) ** 2))
                else:
                    vals = np.linalg.eigvalsh(hess)
                row["hessian_min"] = float(vals[0])
                row["is_minimum"] = bool(vals[0] > 0)
            rows.append(row)
            if progress is not None:
                progress.update()
    return pd.DataFrame(rows), spectra
