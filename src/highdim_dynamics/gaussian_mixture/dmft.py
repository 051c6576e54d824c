"""Sampled dynamical mean-field theory of (S)GD on the Gaussian mixture.

Mignacco et al. (NeurIPS 2020, arXiv:2006.06098), Sec. 3 and App. B; ``docs/gaussian_mixture.md``.
We use the discrete-time DMFT with dt = eta, which is exact for discrete SGD with step eta
(Gerbelot et al., arXiv:2210.06591).  With ``A = Z/sqrt(p)`` the Gaussian part of the data,
``h = A w`` and ``g_mu = s_mu Lambda'(y_mu, c_mu m + sqrt(D) h_mu)``, the update is
``w(k+1) = (1 - eta lam) w(k) - eta mu_c(k) v* - eta sqrt(D) A^T g(k)``; the dynamical
cavity method gives two coupled effective processes:

* weight side (linear, Gaussian, solved exactly in :func:`._kernels.weight_side`)::

    w(k+1) = (1 - eta lam) w(k) - eta sqrt(D) sum_{j<=k} Gamma(k,j) w(j)
             - eta mu_c(k) - eta sqrt(D) xi(k),      <xi(k) xi(k')> = M_C(k,k')

* sample side (sampled paths, :func:`._kernels.dmft_paths`)::

    h(k) = omega(k) - eta sqrt(D) sum_{j<k} R_w(k,j) g(j),   omega ~ N(0, C)

with kernels ``mu_c = alpha <c g>``, ``M_C = alpha <g g>`` and
``Gamma(k,j) = alpha <dg(k)/dh(j)>`` (the diagonal is the paper's instantaneous
``lambda-hat``, the strictly lower part its retarded ``M_R``, both carrying the
``s Lambda''`` factors at both ends), ``R_w`` the weight response and ``C(k,k')`` the
full second moment ``<w(k) w(k')>`` (= |w|^2/p on the diagonal), ``m(k) = <w(k)>``.
The generalisation error uses ``m`` and ``C`` of the weight side.

The fixed point is found by damped iteration ``K <- (1-gamma) K + gamma F(K)``.  Within
one horizon the sampled paths' random inputs are kept (common random numbers), so ``F`` is
a deterministic map, the residual (change of eps_g, m/sqrt(C) and C between K and F(K))
decreases geometrically and convergence is well defined; a horizon that does not reach
``tol`` in ``max_iter`` iterations raises :class:`DivergenceError` with its residual.
Then ``n_average`` damped iterations with fresh paths are averaged; their spread is the
reported Monte-Carlo error.  Causality is exploited by a horizon schedule (T/4, T/2, T):
the early times converge on short, cheap windows and their kernels start the longer ones.
Variance reduction (:func:`_draw_paths`): stratified clusters and selections, paired
``c = +-1`` paths.  The cost per iteration is dominated by the response propagation,
about ``b^2 T^3 / 6`` multiply-adds per path (rows of unselected times vanish).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.jit import set_threads
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import (
    DivergenceError,
    ParameterError,
    check_trajectory,
    in_interval,
    integer,
    nonnegative,
    positive,
    require_finite,
)

from . import _kernels
from .model import (
    DIVERGED_C,
    LOSSES,
    SMOOTH_LOSSES,
    check_step,
    draw_selection,
    generalisation_error,
    validate_algorithm,
    validate_problem,
    validate_sharpness,
)

N_CHUNKS = 16  # fixed split of the paths: results independent of the thread count


def _draw_paths(rng, n_paths, T, params):
    """Random inputs of ``n_paths`` sampled paths over ``T`` steps: (z, c, y, s)."""
    clusters, algorithm, eta, b, tau = params[4], params[6], params[7], params[8], params[9]
    # Variance reduction (the averages stay unbiased): selections are stratified
    # (exactly round(b n) selected paths, see draw_selection), cluster fractions too
    # (exactly 1/2, 1/2 or 1/2, 1/4, 1/4) and the c = +1 and c = -1 paths come in pairs
    # sharing their Gaussian noise z and their selections s (for two clusters this is the
    # antithetic pair (c, z) ~ (-c, -z)).  Without it the three-cluster escape from
    # m ~ 0, which amplifies the noise of mu_c exponentially, carries an O(1/n_paths) bias.
    quarter = n_paths // 4
    n_pm = quarter if clusters == 3 else n_paths // 2  # pairs of c = +-1 paths
    n_zero = n_paths - 2 * n_pm if clusters == 3 else 0
    n_single = n_pm + n_zero
    z1 = rng.standard_normal((n_single, T + 1))
    s1 = draw_selection(rng, n_single, T, algorithm, eta, b, tau, stratified=True).T
    z = np.concatenate([z1[:n_pm], z1[:n_pm], z1[n_pm:]])
    sel = np.ascontiguousarray(np.concatenate([s1[:n_pm], s1[:n_pm], s1[n_pm:]]))
    cl = np.concatenate([np.ones(n_pm), -np.ones(n_pm), np.zeros(n_zero)])
    if clusters == 2:
        cl = np.concatenate([cl, np.ones(n_paths - 2 * n_pm)])  # odd n_paths: one extra
        z = np.concatenate([z, rng.standard_normal((n_paths - 2 * n_pm, T + 1))])
        sel = np.ascontiguousarray(
            np.concatenate(
                [
                    sel,
                    draw_selection(
                        rng, n_paths - 2 * n_pm, T, algorithm, eta, b, tau, stratified=True
                    ).T,
                ]
            )
        )
        yl = cl.copy()
    else:
        yl = np.where(cl == 0.0, -1.0, 1.0)
    return z, cl, yl, sel


def _iterate_once(state, T, params, draws, memory):
    """One evaluation of the kernels from fresh paths, given the current kernels."""
    (alpha, delta, lam, loss, clusters, L, algorithm, eta, b, tau, R, m0, beta) = params
    gamma, mu, mc = state["gamma"][:T, :T], state["mu"][:T], state["mc"][:T, :T]
    gamma, mu, mc = (np.ascontiguousarray(a) for a in (gamma, mu, mc))
    P, Rw, m, C = _kernels.weight_side(gamma, mu, mc, eta, lam, delta, R, m0)
    Lc = _kernels.psd_cholesky(C)
    K1 = T + 1
    z, cl, yl, sel = draws
    n_paths = z.shape[0]
    mu_acc = np.zeros((N_CHUNKS, T))
    mc_acc = np.zeros((N_CHUNKS, T, T))
    gamma_acc = np.zeros((N_CHUNKS, T, T))
    loss_acc = np.zeros((N_CHUNKS, K1))
    err_acc = np.zeros((N_CHUNKS, K1))
    _kernels.dmft_paths(
        Lc,
        z,
        cl,
        yl,
        sel,
        m,
        Rw,
        eta,
        delta,
        LOSSES[loss],
        clusters,
        L * L,
        beta,
        memory,
        N_CHUNKS,
        mu_acc,
        mc_acc,
        gamma_acc,
        loss_acc,
        err_acc,
    )
    f = alpha / n_paths
    new = {
        "mu": f * mu_acc.sum(axis=0),
        "mc": f * mc_acc.sum(axis=0),
        "gamma": f * gamma_acc.sum(axis=0),
    }
    obs = {
        "m_old": m,
        "C_old": np.diag(C).copy(),
        "training_loss": loss_acc.sum(axis=0) / n_paths,
        "training_error": err_acc.sum(axis=0) / n_paths,
    }
    return new, obs


def solve_dmft(
    *,
    alpha,
    delta,
    lam=0.0,
    loss="logistic",
    clusters=2,
    L=0.7,
    algorithm="gd",
    eta=0.2,
    b=None,
    tau=None,
    R=0.01,
    m0=0.0,
    t_max=10.0,
    n_paths=4000,
    damping=0.8,
    tol=5e-4,
    max_iter=60,
    n_average=4,
    horizons=None,
    memory=True,
    seed=0,
    threads=None,
    return_info=False,
    sharpness=None,
):
    """Solve the discrete-time DMFT (dt = eta) by sampled damped fixed-point iteration.

    Parameters
    ----------
    alpha, delta, lam, loss, clusters, L, algorithm, eta, b, tau, R, m0
        As in :func:`.simulation.simulate_runs` (``loss`` must be smooth: logistic, square or
        smooth_hinge; the hinge itself is :func:`hinge_dmft`).
    t_max : float
        Horizon; ``T = round(t_max/eta)`` steps.
    n_paths : int
        Sampled paths per iteration.
    damping : float in (0, 1]
        Weight gamma of the new kernels.
    tol : float
        Convergence: largest change, over all times, between the observables of the
        current kernels K and of their image F(K) (same sampled paths: common random
        numbers, so the residual decreases geometrically): of eps_g, of m/sqrt(C) and of
        C relative to C.
    max_iter : int
        Iterations allowed per horizon before :class:`DivergenceError` (with the residual).
    n_average : int
        Fresh-sample iterations averaged after convergence (their spread gives the
        ``*_sem`` columns; at least 2).
    horizons : list of float, optional
        Increasing horizons of the causal schedule (default: t_max/4, t_max/2, t_max).
    memory : bool
        False drops the retarded kernel M_R (a negative control, wrong on purpose).
    seed : int
    threads : int, optional
        Numba threads (results do not depend on it).
    return_info : bool
        Also return the iteration counts and residuals.
    sharpness : float, optional
        beta of ``smooth_hinge`` (required there, not allowed for the other losses).

    Returns
    -------
    pandas.DataFrame
        One row per step ``k = 0..T``: ``t, m, C, generalisation_error, training_loss,
        training_error`` and ``*_sem``, a Monte-Carlo error estimate: the standard
        deviation of one fresh-sample evaluation over the averaged iterations.
    """
    alpha, delta, lam, loss, clusters, L = validate_problem(alpha, delta, lam, loss, clusters, L)
    if loss not in SMOOTH_LOSSES:
        raise ParameterError(
            f"loss must be one of {list(SMOOTH_LOSSES)} for the DMFT "
            f"(its Lambda'' enters the response), got {loss!r}"
        )
    algorithm, eta, b, tau = validate_algorithm(algorithm, eta, b, tau)
    beta = validate_sharpness(loss, sharpness)
    check_step(eta, alpha, delta, lam, loss, clusters)
    R = nonnegative("R", R)
    m0 = nonnegative("m0", m0)
    t_max = positive("t_max", t_max)
    n_paths = integer("n_paths", n_paths, minimum=N_CHUNKS)
    damping = in_interval("damping", damping, 0.0, 1.0, closed="right")
    tol = positive("tol", tol)
    max_iter = integer("max_iter", max_iter, minimum=1)
    n_average = integer("n_average", n_average, minimum=2)
    T = max(1, int(round(t_max / eta)))
    if horizons is None:
        steps_list = sorted({max(1, T // 4), max(1, T // 2), T})
    else:
        steps_list = sorted(
            {max(1, min(T, int(round(positive("horizons[i]", h) / eta)))) for h in horizons} | {T}
        )
    set_threads(threads)
    params = (alpha, delta, lam, loss, clusters, L, algorithm, eta, b, tau, R, m0, beta)
    state = {"gamma": np.zeros((T, T)), "mu": np.zeros(T), "mc": np.zeros((T, T))}
    rngs = iter(spawn_generators(seed, len(steps_list) + n_average))
    bar = Progress(f"dmft {algorithm}", total=len(steps_list))
    info = {"iterations": [], "residuals": [], "history": []}
    history = []

    def observables(Th, kernels):
        k = [
            np.ascontiguousarray(kernels[key][(slice(0, Th),) * kernels[key].ndim])
            for key in ("gamma", "mu", "mc")
        ]
        _, _, m, C = _kernels.weight_side(*k, eta, lam, delta, R, m0)
        C = np.diag(C).copy()
        check_trajectory(
            "DMFT C(t, t)",
            eta * np.arange(len(C)),
            C,
            limit=DIVERGED_C,
            hint="lower eta or damping",
        )
        eps = generalisation_error(m, C, delta, clusters, L)
        check_trajectory(
            "DMFT generalisation error", eta * np.arange(len(eps)), eps, hint="lower eta or damping"
        )
        return m, C, eps

    def step(Th, draws):
        """One damped update; returns the observables of the undamped map F(K) and the
        residual: the largest change between the observables of K and of F(K), of
        eps_g, of m relative to sqrt(C) and of C relative to C (all times)."""
        new, obs = _iterate_once(state, Th, params, draws, memory)
        for key in ("gamma", "mu", "mc"):
            require_finite(f"DMFT kernel {key}", new[key], "lower eta or damping")
        obs["m"], obs["C"], eps_new = observables(Th, new)
        m_old, C_old = obs.pop("m_old"), obs.pop("C_old")
        eps_old = generalisation_error(m_old, C_old, delta, clusters, L)
        scale = np.sqrt(np.maximum(C_old, 1e-300))
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(
                C_old > 0,
                np.maximum(np.abs(obs["m"] - m_old) / scale, np.abs(obs["C"] - C_old) / scale**2),
                np.abs(obs["C"] - C_old),
            )
        residual = float(max(np.max(np.abs(eps_new - eps_old)), np.max(rel)))
        for key in ("gamma", "mu", "mc"):
            cur = state[key]
            sl = (slice(0, Th),) * cur.ndim
            cur[sl] = (1.0 - damping) * cur[sl] + damping * new[key]
        return obs, residual

    for Th in steps_list:
        residual = np.inf
        draws = _draw_paths(next(rngs), n_paths, Th, params)  # common random numbers
        for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported after the loop)
            obs, residual = step(Th, draws)
            info["history"].append((Th, residual))
            if residual < tol:
                break
        else:
            raise DivergenceError(
                f"DMFT did not converge at horizon t={Th * eta:g} after {max_iter} iterations "
                f"(residual {residual:.3g} > tol {tol:g}; last residuals "
                f"{[float(f'{r:.3g}') for _, r in info['history'][-6:]]}); increase n_paths "
                "or max_iter, or lower damping"
            )
        info["iterations"].append(it)
        info["residuals"].append(residual)
        bar.update(note=f"t={Th * eta:g} iterations={it} residual={residual:.2g}")
    history.append(obs)
    for _ in range(n_average - 1):
        history.append(step(T, _draw_paths(next(rngs), n_paths, T, params))[0])
    steps = np.arange(T + 1)
    out = {"step": steps, "t": eta * steps}
    stack = {k: np.array([h[k] for h in history]) for k in history[0]}
    stack["generalisation_error"] = generalisation_error(stack["m"], stack["C"], delta, clusters, L)
    n_h = len(history)
    for key in ("m", "C", "generalisation_error", "training_loss", "training_error"):
        out[key] = stack[key].mean(axis=0)
        # Error estimate: the spread of ONE fresh-sample evaluation (not divided by
        # sqrt(n_average)): the converged kernels themselves carry a Monte-Carlo error of
        # that order, which averaging the last iterations does not remove.
        out[key + "_sem"] = stack[key].std(axis=0, ddof=1) if n_h > 1 else np.zeros(T + 1)
    out["generalisation_error"] = generalisation_error(out["m"], out["C"], delta, clusters, L)
    df = pd.DataFrame(out)
    return (df, info) if return_info else df


#: Observables extrapolated by :func:`hinge_dmft`.
HINGE_OBSERVABLES = ("m", "C", "training_loss", "training_error")


def hinge_dmft(*, sharpness_values=(16.0, 32.0), seed=0, **kwargs):
    """DMFT of the hinge loss: the smoothed hinge at two sharpnesses, extrapolated.

    The hinge max(0, 1 - y phi) has Lambda'' = delta(1 - y phi), which the sampled DMFT
    cannot represent.  ``smooth_hinge`` (softplus(beta u)/beta, u = 1 - y phi) differs from
    it by an odd function of u in the gradient (sigma(beta u) - theta(u)) and an even one of
    integral pi^2/(6 beta^2) in the loss, so averages over a smooth density of margins carry
    an error O(1/beta^2).  The DMFT is solved at beta_1 < beta_2 (``sharpness_values``) with
    independent seeds and every observable is Richardson-extrapolated,
    f = (beta_2^2 f_2 - beta_1^2 f_1) / (beta_2^2 - beta_1^2); the ``*_sem`` columns are
    propagated the same way (independent errors), and eps_g is recomputed from the
    extrapolated m and C.  Accuracy: O(1/beta_1^4) from the next Richardson term plus the
    Monte-Carlo error (the sampled Lambda'', of height beta/4 on a width 1/beta, is noisier
    as beta grows).

    Parameters
    ----------
    sharpness_values : pair of float
        beta_1 < beta_2, both > 0.
    seed : int
    **kwargs
        The other arguments of :func:`solve_dmft` (not ``loss`` or ``sharpness``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`solve_dmft`, extrapolated to beta -> infinity.
    """
    for name in ("loss", "sharpness", "return_info"):
        if name in kwargs:
            raise ParameterError(f"{name} is fixed by hinge_dmft, got {kwargs[name]!r}")
    betas = (
        list(sharpness_values)
        if isinstance(sharpness_values, (list, tuple))
        else [sharpness_values]
    )
    if len(betas) != 2:
        raise ParameterError(
            f"sharpness_values must be two numbers beta_1 < beta_2, got {sharpness_values!r}"
        )
    b1, b2 = (positive(f"sharpness_values[{i}]", v) for i, v in enumerate(betas))
    if not b1 < b2:
        raise ParameterError(f"sharpness_values must be increasing, got {sharpness_values!r}")
    seeds = np.random.SeedSequence(integer("seed", seed, minimum=0)).generate_state(2)
    d1, d2 = (
        solve_dmft(loss="smooth_hinge", sharpness=bv, seed=int(sv), **kwargs)
        for bv, sv in zip((b1, b2), seeds)
    )
    w1, w2 = -(b1**2) / (b2**2 - b1**2), b2**2 / (b2**2 - b1**2)
    out = d2.copy()
    for key in HINGE_OBSERVABLES:
        out[key] = w1 * d1[key] + w2 * d2[key]
        out[key + "_sem"] = np.hypot(w1 * d1[key + "_sem"], w2 * d2[key + "_sem"])
    delta, clusters, L = kwargs["delta"], kwargs.get("clusters", 2), kwargs.get("L", 0.7)
    out["generalisation_error"] = generalisation_error(
        out.m.to_numpy(), out.C.to_numpy(), delta, clusters, L
    )
    # eps_g's error bar: the per-beta spreads of eps_g, combined with the same weights
    out["generalisation_error_sem"] = np.hypot(
        w1 * d1.generalisation_error_sem, w2 * d2.generalisation_error_sem
    )
    require_finite(
        "hinge DMFT generalisation error", out.generalisation_error.to_numpy(), "raise n_paths"
    )
    return out


def stochastic_gradient_flow_dmft(*, b, tau, dt=0.05, **kwargs):
    """DMFT of the stochastic gradient flow: persistent SGD with ``eta = dt -> 0`` at fixed tau.

    Mignacco et al. (2020), Sec. 2: as ``eta -> 0`` at fixed ``tau`` the selection
    becomes a telegraph process (switching rates ``1/tau`` and ``(1-b)/(b tau)``) and the
    update a flow.  The discrete DMFT with step ``dt`` is its Euler discretisation, with
    an O(dt) error (tests check the convergence as dt halves); cost grows as ``dt^-3``.
    Other keyword arguments as in :func:`solve_dmft` (``eta`` and ``algorithm`` are set here).
    """
    for name in ("eta", "algorithm"):
        if name in kwargs:
            raise ParameterError(
                f"{name} is fixed by stochastic_gradient_flow_dmft, got {kwargs[name]!r}"
            )
    dt = positive("dt", dt)
    return solve_dmft(algorithm="persistent_sgd", eta=dt, b=b, tau=tau, **kwargs)
