"""Figures of the phase-retrieval family: data, plot and check functions.

Every figure is described in ``workflow/figures/phase_retrieval.yaml``; this module holds
``<id>`` (data), ``plot_<id>`` and ``check_<id>`` for each id.  Thresholds marked on the
plots: alpha_IT = 1 and alpha_AMP = 1.13 (Barbier et al., PNAS 2019), alpha_GD ~ 13.8
(1RSB threshold-state estimate of the N -> infinity gradient-flow threshold,
arXiv:2006.06997); they are *not* tolerances for finite-p curves (science brief (a)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plotting import subplots
from ..progress import Progress
from ..seeding import spawn_generators
from ..validation import AnyOf, Choice, Int, ListOf, Real, Seed, constrained, positive
from .finite_size import bootstrap_logistic, cluster_bootstrap_std, logistic
from .model import check_success_threshold, random_sphere_points, sample_instance
from .spherical_gradient_flow import spherical_gradient_descent

#: information-theoretic, AMP and (N -> infinity, 1RSB) gradient-flow thresholds
THRESHOLDS = {"alpha_IT": 1.0, "alpha_AMP": 1.13, "alpha_GD": 13.8}


def _theory_lines() -> pd.DataFrame:
    return pd.DataFrame({"method": "theory", "line": list(THRESHOLDS), "alpha": list(THRESHOLDS.values())})


from matplotlib.ticker import NullFormatter  # noqa: E402


def _import_pyplot():
    import matplotlib.pyplot as plt

    return plt


# ----------------------------------------------------------------------------------------
# phase_retrieval_success
# ----------------------------------------------------------------------------------------
@constrained(dict(p_values=ListOf(Int(2)), alpha_values=ListOf(Real(gt=0)), n_instances=Int(2),
                  n_init=Int(1), t_max=Real(gt=0), max_steps=Int(1), grad_tol=Real(gt=0),
                  success_threshold=Real(gt=0, lt=1), n_boot=Int(2), seed=Seed()))
def phase_retrieval_success(
    *,
    p_values,
    alpha_values,
    n_instances: int,
    n_init: int,
    t_max: float = 1.0e3,
    max_steps: int = 100_000,
    grad_tol: float = 1.0e-4,
    success_threshold: float = 0.99,
    n_boot: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """P(success) of spherical gradient descent vs alpha for several p, with logistic fits.

    For every (p, alpha), ``n_instances`` instances are drawn and ``n_init`` initial
    conditions uniform on the sphere are run on each (batched, see
    :func:`.spherical_gradient_flow.spherical_gradient_descent`).  Success: |m| > 0.99.

    Returns a tidy frame with ``method`` = ``simulation`` (one row per (p, alpha):
    ``n_runs, n_success, success_probability, success_error`` (cluster-bootstrap standard
    error over instances), ``n_failed, n_failed_at_minimum`` (failed runs whose end point
    has a vanishing Riemannian gradient and a positive smallest tangent-Hessian eigenvalue),
    ``n_unresolved``), ``logistic_fit`` (fitted curve per p on an alpha grid, with
    ``alpha_50, alpha_50_error, logistic_width``) and ``theory`` (alpha_IT, alpha_AMP, alpha_GD).
    """
    success_threshold = check_success_threshold("success_threshold", success_threshold)

    points = [(p, a) for p in p_values for a in alpha_values]
    gens = spawn_generators(seed, len(points) * n_instances + len(p_values))
    bar = Progress("phase_retrieval_success", total=len(points))
    rows, per_instance = [], []
    for k, (p, alpha) in enumerate(points):
        counts = np.zeros((n_instances, 4), dtype=int)  # success, failed, at-minimum, unresolved
        for i in range(n_instances):
            rng = gens[k * n_instances + i]
            inst = sample_instance(p, alpha, rng)
            runs, _, _ = spherical_gradient_descent(
                inst, random_sphere_points(p, n_init, rng), t_max=t_max, max_steps=max_steps,
                grad_tol=grad_tol, success_threshold=success_threshold)
            failed = ~runs.success
            at_min = failed & (runs.status == "minimum") & (runs.lambda_min > 0)
            counts[i] = [runs.success.sum(), failed.sum(), at_min.sum(), (runs.status == "unresolved").sum()]
            per_instance.append((p, alpha, counts[i, 0], n_init))
        tot = counts.sum(axis=0)
        rows.append(dict(method="simulation", p=p, alpha=float(alpha), n_runs=n_instances * n_init,
                         n_success=int(tot[0]), success_probability=tot[0] / (n_instances * n_init),
                         success_error=cluster_bootstrap_std(counts[:, 0], np.full(n_instances, n_init),
                                                             n_boot=n_boot, rng=gens[k * n_instances]),
                         n_failed=int(tot[1]), n_failed_at_minimum=int(tot[2]), n_unresolved=int(tot[3])))
        bar.update(note=f"p={p} alpha={alpha:g} P={rows[-1]['success_probability']:.2f}")
    df = pd.DataFrame(rows)
    pi = pd.DataFrame(per_instance, columns=["p", "alpha", "k", "n"])
    grid = np.linspace(min(alpha_values), max(alpha_values), 51)
    fits = []
    for j, p in enumerate(p_values):
        sub = pi[pi.p == p]
        (a50, width), a50_err = bootstrap_logistic(sub.alpha, sub.k, sub.n, n_boot=n_boot,
                                                   rng=gens[len(points) * n_instances + j])
        fits.append(pd.DataFrame(dict(method="logistic_fit", p=p, alpha=grid,
                                      success_probability=logistic(grid, a50, width),
                                      alpha_50=a50, alpha_50_error=a50_err, logistic_width=width)))
    return pd.concat([df, *fits, _theory_lines()], ignore_index=True)


def plot_phase_retrieval_success(df: pd.DataFrame):
    """P(success) vs alpha per p (points: simulation, lines: logistic fits), thresholds,
    and the fitted 50% point vs p (right panel)."""
    fig, axes = subplots(2, width=4.4, height=3.4, gridspec_kw=dict(width_ratios=[2, 1]))
    ax, ax2 = axes[0]
    sim, fit, th = (df[df.method == m] for m in ("simulation", "logistic_fit", "theory"))
    for p, g in sim.groupby("p"):
        line = ax.errorbar(g.alpha, g.success_probability, yerr=g.success_error, fmt="o", ms=4,
                           capsize=2, label=f"p = {int(p)}")
        f = fit[fit.p == p]
        ax.plot(f.alpha, f.success_probability, "-", color=line[0].get_color(), lw=1)
    styles = {"alpha_IT": ":", "alpha_AMP": "--", "alpha_GD": "-."}
    for _, r in th.iterrows():
        ax.axvline(r.alpha, color="0.4", ls=styles.get(r.line, ":"), lw=1)
        ha = {"alpha_IT": "right", "alpha_AMP": "left"}.get(r.line, "center")
        ax.text(r.alpha, 1.02, r.line.replace("alpha_", r" $\alpha_{") + "}$ ", ha=ha,
                va="bottom", fontsize=7)
    ax.set_xlim(0, max(th.alpha.max(), sim.alpha.max()) + 0.7)
    ax.set_ylim(-0.03, 1.08)
    ax.set_xlabel(r"$\alpha = n/p$")
    ax.set_ylabel("P(success)")
    ax.legend(loc="center right", fontsize=7)
    a50 = fit.groupby("p")[["alpha_50", "alpha_50_error"]].first().reset_index()
    ax2.errorbar(a50.p, a50.alpha_50, yerr=a50.alpha_50_error, fmt="s-", ms=4, capsize=2,
                 label="GD, 50% point")
    ax2.axhline(THRESHOLDS["alpha_GD"], color="0.4", ls="-.", lw=1, label=r"$\alpha_{GD}$ (1RSB, $p\to\infty$)")
    ax2.set_xscale("log")
    ax2.set_xticks(a50.p.to_numpy(), [str(int(p)) for p in a50.p])
    ax2.xaxis.set_minor_formatter(NullFormatter())
    ax2.set_xlim(a50.p.min() / 1.3, a50.p.max() * 1.3)
    ax2.set_xlabel("p")
    ax2.set_ylabel(r"$\alpha_{50}$")
    ax2.set_ylim(0, 15)
    ax2.legend(fontsize=7)
    return fig


def check_phase_retrieval_success(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Compare with the issue's / brief's finite-size reference points.

    * p = 100 (the largest p <= 100 in the data): P(success) <= ``p_low_max`` at alpha = 2 and
      >= ``p_high_min`` at every alpha >= 10;
    * failed runs end at genuine minima (gradient below tolerance, smallest tangent-Hessian
      eigenvalue > 0) in a fraction >= ``min_fraction_at_minimum`` of cases;
    * the logistic 50% point of every p <= 200 lies in ``alpha_50_window`` (brief: near
      4-5 at p <= 200, i.e. far below the p -> infinity estimate 13.8).
    """
    sim = df[df.method == "simulation"]
    fit = df[df.method == "logistic_fit"]
    if sim.empty or fit.empty:
        raise AssertionError("phase_retrieval_success: missing simulation or logistic_fit rows")
    ps = sorted(p for p in sim.p.unique() if p <= 100)
    if not ps:
        raise AssertionError("phase_retrieval_success: no p <= 100 in the data")
    sub = sim[sim.p == ps[-1]]
    low = sub[np.isclose(sub.alpha, 2.0)]
    high = sub[sub.alpha >= 10.0]
    if low.empty or high.empty:
        raise AssertionError("phase_retrieval_success: need alpha = 2 and alpha >= 10 at p = 100")
    if (low.success_probability > tolerance["p_low_max"]).any():
        raise AssertionError(f"P(success) at alpha=2, p={ps[-1]}: {low.success_probability.tolist()} "
                             f"> {tolerance['p_low_max']}")
    if (high.success_probability < tolerance["p_high_min"]).any():
        raise AssertionError(f"P(success) at alpha>=10, p={ps[-1]}: {high.success_probability.tolist()} "
                             f"< {tolerance['p_high_min']}")
    n_failed = sim.n_failed.sum()
    frac = sim.n_failed_at_minimum.sum() / max(n_failed, 1)
    if n_failed and frac < tolerance["min_fraction_at_minimum"]:
        raise AssertionError(f"only {frac:.3f} of failed runs end at a genuine local minimum")
    lo, hi = tolerance["alpha_50_window"]
    for p, a50 in fit.groupby("p").alpha_50.first().items():
        if p <= 200 and not (lo <= a50 <= hi):
            raise AssertionError(f"logistic 50% point at p={p}: {a50:.2f} outside [{lo}, {hi}]")


# ----------------------------------------------------------------------------------------
# phase_retrieval_dynamics
# ----------------------------------------------------------------------------------------
@constrained(dict(p=Int(2), alpha_values=ListOf(Real(gt=0)), n_runs=Int(1), t_max=Real(gt=0),
                  n_times=Int(2), reference_step_fraction=Real(gt=0, le=1),
                  reference_t_max=Real(gt=0), seed=Seed()))
def phase_retrieval_dynamics(
    *,
    p: int,
    alpha_values,
    n_runs: int,
    t_max: float = 1.0e3,
    n_times: int = 61,
    reference_step_fraction: float = 0.1,
    reference_t_max: float = 30.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Loss and overlap vs time of spherical gradient descent, below and above threshold.

    For each alpha one instance and ``n_runs`` initial conditions are run to a critical
    point (|P grad L|/sqrt(p) < 1e-7) without stopping at success, with the step capped at
    a quarter of its initial value dt0 = 1/(40 alpha + 12) (an accurate flow); (t, L/n, |m|) is
    recorded at ``n_times`` log-spaced times in [1e-3, t_max].  The same runs are
    integrated again with a fixed step ``reference_step_fraction / (40 alpha + 12)`` (a
    tenth of the initial adaptive step), ``method = fixed_step``, up to
    min(``reference_t_max``, 1.2 x the longest run), as a reference for the adaptive step
    control.  Runs still on a plateau at ``t_max`` end as ``unresolved``.  Columns: ``method, p, alpha, run, t, loss, overlap, status``.
    """
    frac = reference_step_fraction
    t_ref_max = reference_t_max
    times = np.logspace(-3, np.log10(t_max), n_times)
    gens = spawn_generators(seed, len(alpha_values))
    out = []
    bar = Progress("phase_retrieval_dynamics", total=len(alpha_values))
    for alpha, rng in zip(alpha_values, gens):
        inst = sample_instance(p, alpha, rng)
        W0 = random_sphere_points(p, n_runs, rng)
        kw = dict(stop_on_success=False, grad_tol=1e-7, record_times=times, step_cap_factor=0.25)
        dt0 = 1.0 / (40.0 * inst.alpha + 12.0)
        runs, traj, _ = spherical_gradient_descent(inst, W0, t_max=t_max, max_steps=int(4 * t_max / dt0) + 1000,
                                                   **kw)
        t_ref = min(t_max, t_ref_max, 1.2 * float(runs.t.max()))
        runs_r, traj_r, _ = spherical_gradient_descent(
            inst, W0, t_max=t_ref, max_steps=10**7, fixed_step=frac / (40.0 * inst.alpha + 12.0), **kw)
        for method, r, tr in (("simulation", runs, traj), ("fixed_step", runs_r, traj_r)):
            end = r.rename(columns={"t": "t_end", "loss": "loss_end", "overlap": "overlap_end"})
            # append the end point itself as the last recorded time
            tr = pd.concat([tr, r[["run", "t", "loss", "overlap"]]], ignore_index=True)
            tr = tr.merge(end[["run", "status"]], on="run")
            tr["overlap"] = tr["overlap"].abs()
            tr.insert(0, "alpha", float(alpha))
            tr.insert(0, "p", p)
            tr.insert(0, "method", method)
            out.append(tr.sort_values(["run", "t"], kind="stable"))
        bar.update(note=f"alpha={alpha:g}")
    return pd.concat(out, ignore_index=True)


def plot_phase_retrieval_dynamics(df: pd.DataFrame):
    """Loss/n and |m| vs t (log) for each alpha; dashed thin lines: fixed-step reference."""
    plt = _import_pyplot()
    fig, axes = subplots(2)
    ax1, ax2 = axes[0]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (alpha, g) in enumerate(df.groupby("alpha")):
        c = colors[k % len(colors)]
        for (method, run), h in g.groupby(["method", "run"]):
            h = h[h.t > 0]
            ls, lw = ("-", 1.2) if method == "simulation" else ("--", 0.6)
            lab = rf"$\alpha$ = {alpha:g}" if (method == "simulation" and run == h.run.min()
                                                 and run == g.run.min()) else None
            ax1.plot(h.t, np.maximum(h.loss, 1e-16), ls, color=c, lw=lw, label=lab)
            ax2.plot(h.t, h.overlap, ls, color=c, lw=lw)
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel("t")
    ax1.set_yscale("log")
    ax1.set_ylabel(r"$L/n$")
    ax2.set_ylabel(r"$|m| = |w\cdot w^*|/p$")
    ax1.legend(fontsize=7)
    return fig


def check_phase_retrieval_dynamics(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Adaptive step vs fixed small-step integration of the same flow (same data, same start).

    Reference: the fixed-step run (a tenth of the initial adaptive step, an independent
    discretisation).  Every run must end in the same state (status, |m| within
    ``overlap_atol``, L/n within ``loss_rtol`` or both below 1e-10), and the flow time at
    which |m| first exceeds 0.5 must agree within ``time_rtol``.  Successful runs must reach
    L/n < 1e-10 (global minimum) and the loss must never increase along a trajectory.
    """
    for (alpha, run), g in df.groupby(["alpha", "run"]):
        a, b = g[g.method == "simulation"], g[g.method == "fixed_step"]
        if a.empty or b.empty:
            raise AssertionError(f"alpha={alpha} run={run}: missing simulation or fixed_step rows")
        if np.any(np.diff(a.loss.values) > 1e-12 * a.loss.values[:-1]):
            raise AssertionError(f"alpha={alpha} run={run}: loss increases along the trajectory")
        ea, eb = a.iloc[-1], b.iloc[-1]
        if eb.status != "unresolved":  # the reference reached the critical point: compare
            if ea.status != eb.status:
                raise AssertionError(f"alpha={alpha} run={run}: status {ea.status} vs reference {eb.status}")
            np.testing.assert_allclose(ea.overlap, eb.overlap, atol=tolerance["overlap_atol"],
                                       err_msg=f"end overlap, alpha={alpha} run={run}")
            if max(ea.loss, eb.loss) > 1e-10:
                np.testing.assert_allclose(ea.loss, eb.loss, rtol=tolerance["loss_rtol"],
                                           err_msg=f"end loss, alpha={alpha} run={run}")
        if ea.status == "success" and ea.loss > 1e-10:
            raise AssertionError(f"alpha={alpha} run={run}: success but L/n = {ea.loss}")
        ta, tb = _crossing_time(a, 0.5), _crossing_time(b, 0.5)
        if np.isfinite(ta) and np.isfinite(tb):
            np.testing.assert_allclose(ta, tb, rtol=tolerance["time_rtol"],
                                       err_msg=f"time to |m| > 0.5, alpha={alpha} run={run}")


def _crossing_time(g: pd.DataFrame, level: float) -> float:
    """First time |m| crosses ``level``, interpolated linearly in log t between records."""
    t, m = g.t.values, g.overlap.values
    k = np.flatnonzero((m > level) & (t > 0))
    if not k.size or k[0] == 0 or t[k[0] - 1] <= 0:
        return np.nan
    j = k[0]
    x = (level - m[j - 1]) / (m[j] - m[j - 1])
    return float(np.exp(np.log(t[j - 1]) + x * (np.log(t[j]) - np.log(t[j - 1]))))


# ----------------------------------------------------------------------------------------
# phase_retrieval_threshold_theory
# ----------------------------------------------------------------------------------------
@constrained(dict(p=Int(2), alpha_values=ListOf(Real(gt=0)), n_instances=Int(1), n_init=Int(1),
                  spectrum_p=Int(2), delta_values=ListOf(Real(gt=0)), n_reps=Int(2), n_boot=Int(2),
                  seed=Seed()))
def phase_retrieval_threshold_theory(
    *,
    p: int,
    alpha_values,
    n_instances: int,
    n_init: int,
    spectrum_p: int,
    delta_values,
    n_reps: int,
    n_boot: int = 50,
    seed: int = 0,
) -> pd.DataFrame:
    """Lu--Li / BBP criterion: test case, end-point criterion vs alpha, end-point spectra.

    Rows (``panel`` column):

    * ``test_function``: Lu--Li theory for T = 1 - 1/y^2 on a fine delta grid
      (``method = theory``: ``overlap2, top_eigenvalue, bulk_edge, criterion``), its
      transition ``method = transition`` (bisection of the criterion), and finite-p spectra
      (``method = simulation``: mean squared overlap of the top eigenvector with the signal
      over ``n_reps`` matrices of size ``spectrum_p``, with its standard error);
    * ``endpoint_bbp``: for every alpha, gradient-descent runs (``n_instances`` x ``n_init``
      at size ``p``); the (s, T = 4 y^2 - 12 yhat^2) pairs of all failed end points give an
      empirical law whose Lu--Li criterion delta g(lambda_bar) - 1 (> 0: outlier toward the
      signal, i.e. an unstable direction) is reported with a bootstrap error over end
      points (``method = theory``); the measured end-point Hessians give, as
      ``method = simulation``, the mean smallest tangent-Hessian eigenvalue ``lambda_min``
      and the mean squared overlap ``overlap2`` of its eigenvector with the tangent signal
      direction, next to the Lu--Li prediction of the smallest bulk eigenvalue
      -(n/p) psi(lambda_bar) - mu_L (``bulk_edge``);
    * ``hessian_spectrum``: all tangent-Hessian eigenvalues of the failed end points at the
      smallest alpha with failures (``eigenvalue``; ``method = simulation``).
    """
    from .lu_li import (endpoint_samples, law_from_samples, lu_li_curve, lu_li_outlier,
                        lu_li_transition, optimal_phase_retrieval_law, sample_spectrum)
    from .model import tangent_hessian

    gens = spawn_generators(seed, len(alpha_values) * n_instances + len(delta_values) + 1)
    frames = []

    # (1) the test function T = 1 - 1/y^2
    law = optimal_phase_retrieval_law()
    grid = np.linspace(0.2, max(4.0, max(delta_values)), 96)
    th = lu_li_curve(law, grid).rename(columns={"delta": "alpha"})
    th.insert(0, "panel", "test_function")
    th.insert(0, "method", "theory")
    frames.append(th[["method", "panel", "alpha", "overlap2", "top_eigenvalue", "bulk_edge", "criterion"]])
    frames.append(pd.DataFrame(dict(method="transition", panel="test_function",
                                    alpha=[lu_li_transition(law, 0.2, 2.0)])))
    t_of_y = lambda y: 1.0 - 1.0 / y**2  # noqa: E731
    bar = Progress("phase_retrieval_threshold_theory", total=len(delta_values) + len(alpha_values))
    for j, delta in enumerate(delta_values):
        rng = gens[len(alpha_values) * n_instances + j]
        res = [sample_spectrum(t_of_y, spectrum_p, delta, rng) for _ in range(n_reps)]
        ov = np.array([r["overlap2"] for r in res])
        frames.append(pd.DataFrame(dict(
            method="simulation", panel="test_function", alpha=[res[0]["delta"]], p=spectrum_p,
            overlap2=ov.mean(), overlap2_error=ov.std(ddof=1) / np.sqrt(n_reps),
            top_eigenvalue=np.mean([r["top_eigenvalue"] for r in res]), n_runs=n_reps)))
        bar.update(note=f"spectra delta={delta:g}")

    # (2) end points of gradient descent
    spectrum_done = False
    for k, alpha in enumerate(alpha_values):
        S, T, mus, meas, eigs = [], [], [], [], []
        for i in range(n_instances):
            rng = gens[k * n_instances + i]
            inst = sample_instance(p, alpha, rng)
            runs, _, W = spherical_gradient_descent(inst, random_sphere_points(p, n_init, rng), grad_tol=1e-6,
                                                    hessian_at_end=False)
            for r in np.flatnonzero(~runs.success.values):
                e = endpoint_samples(inst, W[:, r])
                H, B = tangent_hessian(inst, W[:, r])
                ev, evec = np.linalg.eigh(H)
                S.append(e["s"]), T.append(e["T"]), mus.append(e["mu_L"])
                meas.append((ev[0], float((evec[:, 0] @ (B.T @ e["v"])) ** 2)))
                eigs.append(ev)
        bar.update(note=f"alpha={alpha:g}: {len(S)} failed end points")
        if len(S) < 2:
            continue
        delta = inst.n / (p - 1)
        out = lu_li_outlier(law_from_samples(np.concatenate(S), np.concatenate(T)), delta)
        boot_rng = gens[-1]
        crit_b = []
        for _ in range(n_boot):
            idx = boot_rng.integers(0, len(S), size=len(S))
            lb = law_from_samples(np.concatenate([S[i] for i in idx]), np.concatenate([T[i] for i in idx]))
            crit_b.append(lu_li_outlier(lb, delta)["criterion"])
        meas = np.array(meas)
        frames.append(pd.DataFrame(dict(
            method=["theory", "simulation"], panel="endpoint_bbp", alpha=float(alpha), p=p,
            criterion=[out["criterion"], np.nan], criterion_error=[np.std(crit_b, ddof=1), np.nan],
            bulk_edge=[-(inst.n / p) * out["bulk_edge"] - np.mean(mus), np.nan],
            lambda_min=[np.nan, meas[:, 0].mean()], overlap2=[out["overlap2"], meas[:, 1].mean()],
            n_runs=len(S))))
        if not spectrum_done:
            spectrum_done = True
            frames.append(pd.DataFrame(dict(method="simulation", panel="hessian_spectrum",
                                            alpha=float(alpha), p=p, eigenvalue=np.concatenate(eigs),
                                            n_runs=len(S))))
            frames.append(pd.DataFrame(dict(method="theory", panel="hessian_spectrum", alpha=[float(alpha)],
                                            p=p, bulk_edge=-(inst.n / p) * out["bulk_edge"] - np.mean(mus))))
    cols = ["method", "panel", "alpha", "p", "overlap2", "overlap2_error", "top_eigenvalue", "bulk_edge",
            "criterion", "criterion_error", "lambda_min", "eigenvalue", "n_runs"]
    return pd.concat(frames, ignore_index=True).reindex(columns=cols)


def plot_phase_retrieval_threshold_theory(df: pd.DataFrame):
    """(a) Lu--Li test case; (b) end-point BBP criterion vs alpha; (c) end-point spectrum."""
    fig, axes = subplots(3, width=3.4, height=3.2)
    ax1, ax2, ax3 = axes[0]
    tf = df[df.panel == "test_function"]
    th, sim = tf[tf.method == "theory"], tf[tf.method == "simulation"]
    ax1.plot(th.alpha, th.overlap2, "-", label="Lu–Li theory")
    ax1.errorbar(sim.alpha, sim.overlap2, yerr=sim.overlap2_error, fmt="o", ms=4, capsize=2,
                 label=f"p = {int(sim.p.iloc[0])}" if len(sim) else None)
    for a in tf[tf.method == "transition"].alpha:
        ax1.axvline(a, color="0.4", ls=":", lw=1, label=rf"$\alpha_c$ = {a:.4f}")
    ax1.set_xlabel(r"$\alpha = n/p$")
    ax1.set_ylabel(r"$\rho^2$ (top eigenvector · signal)")
    ax1.set_title(r"$T(y) = 1 - 1/y^2$", fontsize=9)
    ax1.legend(fontsize=7)
    bb = df[df.panel == "endpoint_bbp"]
    bt = bb[bb.method == "theory"]
    ax2.errorbar(bt.alpha, bt.criterion, yerr=bt.criterion_error, fmt="s-", ms=4, capsize=2,
                 label="Lu–Li criterion, GD end-point law")
    ax2.axhline(0.0, color="k", lw=0.8)
    ax2.axvline(THRESHOLDS["alpha_GD"], color="0.4", ls="-.", lw=1, label=r"$\alpha_{GD}$ = 13.8 (1RSB)")
    if len(bt) >= 2:
        c = np.polyfit(bt.alpha, bt.criterion, 1)
        xs = np.linspace(bt.alpha.min(), max(-c[1] / c[0], bt.alpha.max()) if c[0] > 0 else bt.alpha.max(), 50)
        ax2.plot(xs, np.polyval(c, xs), ":", color="C0", lw=1, label="linear extrapolation")
    ax2.set_xlabel(r"$\alpha$")
    ax2.set_ylabel(r"$\delta\, g(\bar\lambda) - 1$  (> 0: outlier)")
    ax2.legend(fontsize=6)
    hs = df[df.panel == "hessian_spectrum"]
    ev = hs[hs.method == "simulation"].eigenvalue.dropna()
    if len(ev):
        ax3.hist(ev, bins=60, density=True, color="0.6")
        for e in hs[hs.method == "theory"].bulk_edge.dropna():
            ax3.axvline(e, color="C3", ls="--", lw=1, label="Lu–Li edge (Gaussian rows)")
        ms = bb[(bb.method == "simulation") & np.isclose(bb.alpha, hs.alpha.iloc[0])]
        for e in ms.lambda_min:
            ax3.axvline(e, color="C0", ls="-", lw=1, label=r"mean $\lambda_{min}$")
        ax3.axvline(0.0, color="k", lw=0.8)
        low = min(ev.min(), hs.bulk_edge.min(skipna=True) if hs.bulk_edge.notna().any() else ev.min())
        ax3.set_xlim(low - 1.0, float(np.quantile(ev, 0.5)))
        ax3.set_title(rf"end-point tangent Hessian, $\alpha$ = {hs.alpha.iloc[0]:g}", fontsize=9)
        ax3.legend(fontsize=6)
    ax3.set_xlabel("eigenvalue")
    ax3.set_ylabel("density")
    return fig


def check_phase_retrieval_threshold_theory(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Lu--Li solver against closed form, finite-p spectra and end-point Hessians.

    * the transition of T = 1 - 1/y^2 equals the closed form 1/2 within ``alpha_c_atol``;
    * finite-p mean squared overlaps agree with the theory within
      ``overlap_c / sqrt(p)`` (O(p^{-1/2}) finite-size corrections) plus 3 standard errors;
    * every measured end-point lambda_min is > 0 (the end points are minima), and where the
      end-point criterion is < 0 (no outlier predicted) the lowest tangent-Hessian
      eigenvector is not localised on the signal: mean squared overlap with the tangent
      signal direction <= ``no_outlier_max_overlap2`` (a Lu--Li outlier has rho^2 = O(1); a
      delocalised vector ~1/p; end points with |m| ~ 0.1-0.2 at larger alpha mix the
      signal into the low modes, measured up to ~0.1 at p = 100).
    """
    tf = df[df.panel == "test_function"]
    a_c = tf[tf.method == "transition"].alpha
    if len(a_c) != 1:
        raise AssertionError("threshold theory: missing the test-function transition row")
    np.testing.assert_allclose(a_c.iloc[0], 0.5, rtol=0, atol=tolerance["alpha_c_atol"],
                               err_msg="Lu-Li transition of T = 1 - 1/y^2")
    from .lu_li import lu_li_outlier, optimal_phase_retrieval_law

    law = optimal_phase_retrieval_law()
    sim = tf[tf.method == "simulation"]
    if sim.empty:
        raise AssertionError("threshold theory: no finite-p spectra")
    for _, r in sim.iterrows():
        theory = lu_li_outlier(law, r.alpha)["overlap2"]
        tol = tolerance["overlap_c"] / np.sqrt(r.p) + 3.0 * r.overlap2_error
        if abs(r.overlap2 - theory) > tol:
            raise AssertionError(f"finite-p overlap^2 at alpha={r.alpha:.3f}, p={int(r.p)}: "
                                 f"{r.overlap2:.4f} vs Lu-Li {theory:.4f} (tolerance {tol:.4f})")
    bb = df[df.panel == "endpoint_bbp"]
    bt, bs = bb[bb.method == "theory"], bb[bb.method == "simulation"]
    if bt.empty:
        raise AssertionError("threshold theory: no end-point rows")
    for _, r in bs.iterrows():
        crit = bt[np.isclose(bt.alpha, r.alpha)].criterion.iloc[0]
        if r.lambda_min <= 0:
            raise AssertionError(f"end points at alpha={r.alpha} are not minima (lambda_min={r.lambda_min})")
        if crit < 0 and r.overlap2 > tolerance["no_outlier_max_overlap2"]:
            raise AssertionError(f"alpha={r.alpha}: Lu-Li predicts no outlier but the lowest Hessian "
                                 f"eigenvector has overlap^2 {r.overlap2:.4f} with the signal")


# ----------------------------------------------------------------------------------------
# overparam_success
# ----------------------------------------------------------------------------------------
def _width(d: int, label) -> int:
    return 1 if label == "m=1" else max(1, int(round(float(label) * d)))


@constrained(dict(d_values=ListOf(Int(2)), alpha_values=ListOf(Real(gt=0)),
                  width_ratios=AnyOf(ListOf(AnyOf(Real(gt=0), Choice("m=1"))), Real(gt=0), Choice("m=1")),
                  n_runs=Int(1), tau_max=Real(gt=0), convergence_d=Int(2),
                  convergence_alpha_rank_one=Real(gt=0), convergence_alpha_full_rank=Real(gt=0),
                  convergence_runs=Int(1), seed=Seed()))
def overparam_success(
    *,
    d_values,
    alpha_values,
    width_ratios,
    n_runs: int,
    tau_max: float = 256.0,
    convergence_d: int = 10,
    convergence_alpha_rank_one: float = 4.0,
    convergence_alpha_full_rank: float = 10.0,
    convergence_runs: int = 4,
    seed: int = 0,
) -> pd.DataFrame:
    """Quadratic network: P(success) vs alpha for several widths and d; convergence laws.

    ``panel = success`` (``method = simulation``): for each d, width m = ratio x d (and
    m = 1), alpha, ``n_runs`` independent runs with a rank-one teacher; success by the decay
    test of :func:`.quadratic_network.quadratic_network_flow`; columns ``d, m, width
    (label), alpha, n_runs, success_probability, success_error`` (binomial, with the
    (k+1)/(n+2) estimate so that it is not zero at 0 or 1), ``generalisation_error``
    (median final |A - A*|_F/|A*|_F), ``n_trapped`` (non-zero loss, not decreasing),
    ``n_nonunique`` (vanishing loss away from A*).  ``method = logistic_fit``: the fitted
    50% point ``alpha_50`` per (d, width).  ``method = theory``: the line alpha = 2.

    ``panel = convergence``: error and loss vs tau at d = ``convergence_d``, m = d, for a
    rank-one teacher (alpha_rank_one) and a full-rank one (alpha_full_rank > (d+1)/2, where
    the zero-loss PSD matrix is generically unique), ``teacher`` column; ``method = fit``
    rows give the late-time exponent d log e / d log tau per rank-one run (``exponent``).
    """
    from .finite_size import fit_logistic
    from .quadratic_network import quadratic_network_flow

    labels = []
    for i, w in enumerate(width_ratios if isinstance(width_ratios, (list, tuple)) else [width_ratios]):
        labels.append("m=1" if w == "m=1" else positive(f"width_ratios[{i}]", w))
    cd = convergence_d
    a1 = convergence_alpha_rank_one
    af = convergence_alpha_full_rank
    cr = convergence_runs

    points = [(d, lab, a) for d in d_values for lab in labels for a in alpha_values]
    seeds = np.random.SeedSequence(seed).generate_state(len(points) + 2)
    bar = Progress("overparam_success", total=len(points) + 2)
    rows, per_run = [], []
    for k, (d, lab, alpha) in enumerate(points):
        m = _width(d, lab)
        runs, _ = quadratic_network_flow(d=d, m=m, m_star=1, alpha=alpha, n_runs=n_runs,
                                         seed=int(seeds[k]), tau_max=tau_max)
        ks = int(runs.success.sum())
        pt = (ks + 1) / (n_runs + 2)
        rows.append(dict(method="simulation", panel="success", d=d, m=m, width=str(lab), alpha=float(alpha),
                         n_runs=n_runs, success_probability=ks / n_runs,
                         success_error=np.sqrt(pt * (1 - pt) / n_runs),
                         generalisation_error=float(runs.error.median()),
                         n_trapped=int((runs.status == "trapped").sum()),
                         n_nonunique=int((runs.status == "nonunique").sum())))
        per_run.append((d, str(lab), float(alpha), ks, n_runs))
        bar.update(note=f"d={d} m={m} alpha={alpha:g} P={ks / n_runs:.2f}")
    df = pd.DataFrame(rows)
    pr = pd.DataFrame(per_run, columns=["d", "width", "alpha", "k", "n"])
    fits = []
    for (d, lab), g in pr.groupby(["d", "width"], sort=False):
        if 0 < g.k.sum() < g.n.sum():
            a50, wdt = fit_logistic(g.alpha, g.k, g.n)
            fits.append(dict(method="logistic_fit", panel="success", d=d, m=_width(d, lab), width=lab,
                             alpha=a50, alpha_50=a50, logistic_width=wdt))
    conv = []
    for j, (teacher, alpha, ms) in enumerate((("rank_one", a1, 1), ("full_rank", af, "full"))):
        runs, traj = quadratic_network_flow(d=cd, m=cd, m_star=ms, alpha=alpha, n_runs=cr,
                                            seed=int(seeds[len(points) + j]), tau_max=tau_max, e_stop=1e-10)
        traj = traj.assign(method="simulation", panel="convergence", d=cd, m=cd, alpha=float(alpha),
                           teacher=teacher)
        conv.append(traj)
        if teacher == "rank_one":
            for r, g in traj.groupby("run"):
                late = g[g.tau >= g.tau.max() / 16]
                slope = np.polyfit(np.log(late.tau), np.log(late.error), 1)[0] if len(late) >= 3 else np.nan
                conv.append(pd.DataFrame(dict(method="fit", panel="convergence", d=[cd], m=cd, alpha=float(alpha),
                                              teacher=teacher, run=r, exponent=slope)))
        bar.update(note=f"convergence {teacher}")
    theory = pd.DataFrame(dict(method="theory", panel="success", alpha=[2.0], line="alpha_unique"))
    return pd.concat([df, pd.DataFrame(fits), *conv, theory], ignore_index=True)


def plot_overparam_success(df: pd.DataFrame):
    """P(success) vs alpha per width (panels) and d (colours); error vs tau (rank one vs full)."""
    succ = df[(df.panel == "success") & (df.method == "simulation")]
    widths = list(dict.fromkeys(succ.width))
    fig, grid = subplots(len(widths) + 1, 2, width=3.0, height=2.8)
    axes = grid[0]
    fits = df[df.method == "logistic_fit"]
    for ax, lab in zip(grid[1], widths):
        for d, g in succ[succ.width == lab].groupby("d"):
            ax.plot(g.alpha, g.generalisation_error, "o-", ms=3.5, lw=1, label=f"d = {int(d)}")
        ax.axvline(2.0, color="k", ls="--", lw=1)
        ax.set_yscale("log")
        ax.set_xlabel(r"$\alpha = n/d$")
    grid[1][0].set_ylabel(r"median $|A - A^*|_F / |A^*|_F$")
    grid[1][-1].set_axis_off()
    for ax, lab in zip(axes, widths):
        for d, g in succ[succ.width == lab].groupby("d"):
            line = ax.errorbar(g.alpha, g.success_probability, yerr=g.success_error, fmt="o-", ms=3.5,
                               capsize=2, lw=1, label=f"d = {int(d)}")
            f = fits[(fits.width == lab) & (fits.d == d)]
            for a50 in f.alpha_50:
                ax.axvline(a50, color=line[0].get_color(), ls=":", lw=0.8)
        ax.axvline(2.0, color="k", ls="--", lw=1, label=r"$\alpha = 2$")
        ax.set_title("m = 1" if lab == "m=1" else f"m/d = {float(lab):g}", fontsize=9)
        ax.set_xlabel(r"$\alpha = n/d$")
        ax.set_ylim(-0.05, 1.05)
    axes[0].set_ylabel("P(success)")
    axes[0].legend(fontsize=7)
    ax = axes[-1]
    conv = df[(df.panel == "convergence") & (df.method == "simulation")]
    for teacher, c in (("rank_one", "C0"), ("full_rank", "C3")):
        for i, (r, g) in enumerate(conv[conv.teacher == teacher].groupby("run")):
            ax.plot(g.tau, g.error, "-", color=c, lw=1,
                    label=("rank-one teacher" if teacher == "rank_one" else "full-rank teacher") if i == 0 else None)
    rk = conv[conv.teacher == "rank_one"]
    if len(rk):
        t = np.array([rk.tau.max() / 16, rk.tau.max()])
        e0 = rk[rk.tau == rk.tau.max()].error.median()
        ax.plot(t, e0 * rk.tau.max() / t * 2, "k--", lw=0.8, label=r"$\propto 1/\tau$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\tau = t/m$")
    ax.set_ylabel(r"$|A - A^*|_F / |A^*|_F$")
    ax.legend(fontsize=7)
    return fig


def check_overparam_success(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Compare with the theorem of arXiv:2006.15459 (brief (b)).

    * m >= d: no run trapped at non-zero loss;
    * m >= d: P(success) <= ``p_low_max`` for alpha <= ``alpha_low`` and >= ``p_high_min``
      for alpha >= ``alpha_high`` (well below / above the uniqueness threshold alpha = 2);
    * rank-one teacher: median late-time exponent of the error within ``exponent_atol`` of
      -1 (|A - A*| ~ 1/tau); full-rank teacher: exponential convergence, i.e. the error
      reaches 1e-8 (the rank-one runs stay far above it in the same time).
    """
    succ = df[(df.panel == "success") & (df.method == "simulation")]
    big = succ[succ.m >= succ.d]
    if big.empty:
        raise AssertionError("overparam_success: no m >= d rows")
    if big.n_trapped.sum() > 0:
        raise AssertionError(f"m >= d: {int(big.n_trapped.sum())} runs trapped at non-zero loss")
    low = big[big.alpha <= tolerance["alpha_low"]]
    high = big[big.alpha >= tolerance["alpha_high"]]
    if low.empty or high.empty:
        raise AssertionError("overparam_success: need alpha values well below and well above 2")
    if (low.success_probability > tolerance["p_low_max"]).any():
        raise AssertionError(f"m >= d, alpha <= {tolerance['alpha_low']}: P(success) "
                             f"{low.success_probability.max():.2f} > {tolerance['p_low_max']}")
    if (high.success_probability < tolerance["p_high_min"]).any():
        raise AssertionError(f"m >= d, alpha >= {tolerance['alpha_high']}: P(success) "
                             f"{high.success_probability.min():.2f} < {tolerance['p_high_min']}")
    ex = df[(df.method == "fit") & (df.teacher == "rank_one")].exponent
    if ex.empty:
        raise AssertionError("overparam_success: no convergence-exponent rows")
    np.testing.assert_allclose(ex.median(), -1.0, atol=tolerance["exponent_atol"],
                               err_msg="late-time exponent of |A - A*| for a rank-one teacher")
    full = df[(df.panel == "convergence") & (df.method == "simulation") & (df.teacher == "full_rank")]
    if full.empty or full.groupby("run").error.min().max() > 1e-8:
        raise AssertionError("full-rank teacher: the error does not converge exponentially to < 1e-8")
