"""Figures of the phase-retrieval family: data, plot and check functions.

Every figure is described in ``workflow/figures/phase_retrieval.yaml``; this module holds
``<id>`` (data), ``plot_<id>`` and ``check_<id>`` for each id.  Thresholds marked on the
plots are computed: alpha_IT and alpha_AMP from the free entropy and state evolution of the
generalised linear model (:mod:`.bayes_optimal`, Barbier et al., PNAS 2019), alpha_GD from
the BBP criterion of marginal 1RSB states (:mod:`.threshold_states`, arXiv:2006.06997).  They
are N -> infinity values, *not* tolerances for finite-p curves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.core.plotting import eq, figure_legend, subplots, sym
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import (AnyOf, Choice, DivergenceError, Int, ListOf,
                                              ParameterError, Real, Seed, constrained, integer,
                                              positive, sequence)
from .finite_size import bootstrap_logistic, cluster_bootstrap_std, logistic
from .model import check_success_threshold, random_sphere_points, sample_instance
from .spherical_gradient_flow import spherical_gradient_descent

def _theory_lines(gd_bracket) -> pd.DataFrame:
    """``theory`` rows (``line``, ``alpha``): alpha_IT, alpha_AMP and alpha_GD, all computed."""
    from . import bayes_optimal
    from .threshold_states import alpha_gd

    bo = bayes_optimal.thresholds()
    # Rounded well below their accuracy (1e-8; alpha_GD ~1e-4) and far above the last-digit
    # effect of a multithreaded BLAS reduction, so that the CSV does not depend on the threads.
    lines = {"alpha_IT": round(bo["alpha_IT"], 9), "alpha_AMP": round(bo["alpha_AMP"], 9),
             "alpha_GD": round(alpha_gd(*gd_bracket), 6)}
    return pd.DataFrame({"method": "theory", "line": list(lines), "alpha": list(lines.values())})


def _theory_line(df: pd.DataFrame, line: str) -> float:
    """The (unique) alpha of a ``theory`` row (shards of a figure repeat identical rows)."""
    vals = df[(df.method == "theory") & (df.line == line)].alpha.unique()
    if len(vals) != 1:
        raise AssertionError(f"expected one value of the theory line {line}, got {vals.tolist()}")
    return float(vals[0])


def _check_bayes_lines(df: pd.DataFrame, tolerance: dict) -> None:
    """alpha_IT / alpha_AMP rows against the state evolution iterated on both sides.

    * alpha_AMP (spinodal of the fixed points): from a small overlap q0 = 1e-3 the iteration
      must stop at a fixed point q* < 1 at alpha_AMP (1 - ``amp_rtol``) and reach q = 1 at
      alpha_AMP (1 + ``amp_rtol``);
    * alpha_IT (free entropy at q -> 1): from 1 - q0 = 1e-8 the iteration must leave q = 1 at
      alpha_IT (1 - ``it_rtol``) and converge to it at alpha_IT (1 + ``it_rtol``);
    * both inside the literature windows ``alpha_it_window``, ``alpha_amp_window`` (a sanity
      bound only).
    """
    from .bayes_optimal import iterate_state_evolution

    a_amp, a_it = _theory_line(df, "alpha_AMP"), _theory_line(df, "alpha_IT")
    for name, a, win in (("alpha_IT", a_it, "alpha_it_window"), ("alpha_AMP", a_amp, "alpha_amp_window")):
        lo, hi = tolerance[win]
        if not lo <= a <= hi:
            raise AssertionError(f"{name} = {a:.6f} outside the literature window [{lo}, {hi}]")
    runs = [("alpha_AMP", a_amp, tolerance["amp_rtol"], 1.0 - 1e-3, {}, ("fixed_point", "perfect")),
            ("alpha_IT", a_it, tolerance["it_rtol"], 1e-8, dict(V_low=1e-10, V_high=1e-6), ("escaped", "perfect"))]
    for name, a, e, V0, kw, expected in runs:
        for sgn, want in zip((-1, 1), expected):
            got = iterate_state_evolution(a * (1 + sgn * e), V0, **kw)["outcome"]
            if got != want:
                raise AssertionError(f"state evolution from 1 - q0 = {V0:g} at {name} (1 {'-+'[sgn > 0]} {e}) "
                                     f"with {name} = {a:.6f}: {got} (expected {want})")


def _check_gd_line(df: pd.DataFrame, tolerance: dict) -> None:
    """alpha_GD row: the BBP criterion of threshold states, recomputed with a finer quadrature
    (``gd_quadrature``), changes sign between alpha_GD (1 -/+ ``gd_rtol``); the Lu–Li Hessian edge
    of those states equals the jump term of the resolvent identity within ``edge_rtol``."""
    from .threshold_states import hessian_edge_offset, threshold_state

    a_gd = _theory_line(df, "alpha_GD")
    e, quad = tolerance["gd_rtol"], tuple(tolerance["gd_quadrature"])
    states = []
    for sgn in (-1, 1):
        st = threshold_state(a_gd * (1 + sgn * e), quadrature=quad)
        if np.sign(st.criterion) != sgn:
            raise AssertionError(f"BBP criterion of threshold states at alpha_GD (1 {'-+'[sgn > 0]} {e}) with "
                                 f"alpha_GD = {a_gd:.4f}: {st.criterion:.3g} (expected sign {sgn:+d})")
        states.append(st)
    for st in states:
        off = hessian_edge_offset(st)
        np.testing.assert_allclose(off["edge"], off["jump_term"], rtol=tolerance["edge_rtol"],
                                   err_msg=f"Lu-Li Hessian edge vs jump term at alpha = {st.alpha:.4f}")


from matplotlib.ticker import NullFormatter  # noqa: E402


def _import_pyplot():
    import matplotlib.pyplot as plt

    return plt


# ----------------------------------------------------------------------------------------
# phase_retrieval_success
# ----------------------------------------------------------------------------------------
@constrained(dict(p_values=ListOf(Int(2)), alpha_values=ListOf(Real(gt=0)), n_instances=Int(2),
                  n_init=Int(1), t_max=Real(gt=0), max_steps=Int(1), grad_tol=Real(gt=0),
                  success_threshold=Real(gt=0, lt=1), n_boot=Int(2),
                  gd_bracket=ListOf(Real(gt=1)), seed=Seed()))
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
    gd_bracket=(8.0, 20.0),
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
    ``alpha_50, alpha_50_error, logistic_width``) and ``theory`` (``line`` = alpha_IT, alpha_AMP:
    :func:`.bayes_optimal.thresholds`; alpha_GD: :func:`.threshold_states.alpha_gd` searched
    in ``gd_bracket``).
    """
    success_threshold = check_success_threshold("success_threshold", success_threshold)
    gd_bracket = list(gd_bracket)
    if len(gd_bracket) != 2 or not 1.0 < gd_bracket[0] < gd_bracket[1]:
        raise ParameterError(f"gd_bracket must be [low, high] with 1 < low < high, got {gd_bracket!r}")

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
    return pd.concat([df, *fits, _theory_lines(gd_bracket)], ignore_index=True)


#: Mathtext names of the threshold lines of the figure CSVs.
THRESHOLD_LABELS = {"alpha_IT": r"$\alpha_{\mathrm{IT}}$", "alpha_AMP": r"$\alpha_{\mathrm{AMP}}$",
                    "alpha_GD": r"$\alpha_{\mathrm{GD}}$"}


def plot_phase_retrieval_success(df: pd.DataFrame):
    """P(success) vs alpha per p (points: simulation, lines: logistic fits), thresholds,
    and the fitted 50% point vs p (right panel, zoomed on the data; α_GD marked by an arrow)."""
    fig, axes = subplots(2, width=4.4, height=3.4, gridspec_kw=dict(width_ratios=[2, 1]))
    ax, ax2 = axes[0]
    sim, fit, th = (df[df.method == m] for m in ("simulation", "logistic_fit", "theory"))
    for p, g in sim.groupby("p"):
        line = ax.errorbar(g.alpha, g.success_probability, yerr=g.success_error, fmt="o", ms=4,
                           capsize=2, label=eq("p", int(p)))
        f = fit[fit.p == p]
        ax.plot(f.alpha, f.success_probability, "-", color=line[0].get_color(), lw=1)
    styles = {"alpha_IT": ":", "alpha_AMP": "--", "alpha_GD": "-."}
    for _, r in th.drop_duplicates("line").iterrows():
        ax.axvline(r.alpha, color="0.4", ls=styles.get(r.line, ":"), lw=1,
                   label=f"{THRESHOLD_LABELS.get(r.line, r.line)} = {r.alpha:.4g}")
    ax.set_xlim(0, max(th.alpha.max(), sim.alpha.max()) + 0.7)
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel(r"$\alpha = n/p$")
    ax.set_ylabel("P(success)")
    ax.legend(loc="center right", fontsize=7)
    a50 = fit.groupby("p")[["alpha_50", "alpha_50_error"]].first().reset_index()
    ax2.errorbar(a50.p, a50.alpha_50, yerr=a50.alpha_50_error, fmt="s-", ms=4, capsize=2,
                 label="GD, 50% point")
    ax2.set_xscale("log")
    ax2.set_xticks(a50.p.to_numpy(), [str(int(p)) for p in a50.p])
    ax2.xaxis.set_minor_formatter(NullFormatter())
    ax2.set_xlim(a50.p.min() / 1.3, a50.p.max() * 1.3)
    hi = float((a50.alpha_50 + a50.alpha_50_error).max())
    ax2.set_ylim(0, np.ceil(1.5 * hi))
    gd = th[th.line == "alpha_GD"].alpha
    if len(gd) and gd.iloc[0] > ax2.get_ylim()[1]:  # far above: an arrow, not a line
        ax2.annotate(f"{THRESHOLD_LABELS['alpha_GD']} = {gd.iloc[0]:.4g} ($p \\to \\infty$)",
                     xy=(0.5, 1.0), xycoords="axes fraction", xytext=(0.5, 0.84),
                     ha="center", va="center", fontsize=7,
                     arrowprops=dict(arrowstyle="->", color="0.4", lw=0.8))
    ax2.set_xlabel(sym("p"))
    ax2.set_ylabel(r"$\alpha_{50}$")
    ax2.legend(fontsize=7, loc="lower right")
    return fig


def check_phase_retrieval_success(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Compare with the finite-size simulations of arXiv:2006.06997 and the computed theory lines.

    * p = 100 (the largest p <= 100 in the data): P(success) <= ``p_low_max`` at alpha = 2 and
      >= ``p_high_min`` at every alpha >= 10;
    * failed runs end at genuine minima (gradient below tolerance, smallest tangent-Hessian
      eigenvalue > 0) in a fraction >= ``min_fraction_at_minimum`` of cases;
    * the logistic 50% point of every p <= 200 lies in ``alpha_50_window`` (near 4-5 at
      p <= 200 in arXiv:2006.06997 Fig. 1, far below the p -> infinity threshold alpha_GD);
    * the theory lines against independent routes (:func:`_check_bayes_lines`,
      :func:`_check_gd_line`).
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
    ref = "finite-size reference points of arXiv:2006.06997 (P ~ 0 at alpha = 2, ~ 1 at alpha >= 10)"
    records: list = []
    at_most(records, f"P(success) at alpha = 2, p = {ps[-1]:g}", low.success_probability,
            tolerance["p_low_max"], reference_name=ref)
    at_most(records, f"1 − P(success) at alpha >= 10, p = {ps[-1]:g}", 1 - high.success_probability,
            1 - tolerance["p_high_min"], reference_name=ref)
    n_failed = sim.n_failed.sum()
    frac = sim.n_failed_at_minimum.sum() / max(n_failed, 1)
    if n_failed:
        at_most(records, "fraction of failed runs not at a genuine local minimum", 1 - frac,
                1 - tolerance["min_fraction_at_minimum"],
                reference_name="vanishing Riemannian gradient and positive tangent Hessian")
    lo, hi = tolerance["alpha_50_window"]
    for p, a50 in fit.groupby("p").alpha_50.first().items():
        if p <= 200:
            compare(records, f"logistic 50% point at p = {p:g} (window [{lo}, {hi}])", a50,
                    (lo + hi) / 2, (hi - lo) / 2, reference_name="50% point near alpha 4-5 at p <= 200")
    _check_bayes_lines(df, tolerance)
    _check_gd_line(df, tolerance)
    return records


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
            lab = eq("alpha", alpha) if (method == "simulation" and run == h.run.min()
                                                 and run == g.run.min()) else None
            ax1.plot(h.t, np.maximum(h.loss, 1e-16), ls, color=c, lw=lw, label=lab)
            ax2.plot(h.t, h.overlap, ls, color=c, lw=lw)
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel(sym("t"))
    ax1.set_yscale("log")
    ax1.set_ylabel(r"$L/n$")
    ax2.set_ylabel(r"$|m| = |w\cdot w^*|/p$")
    ax1.plot([], [], "-", color="0.4", lw=1.2, label="adaptive step")
    ax1.plot([], [], "--", color="0.4", lw=0.6, label="fixed-step reference")
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
                  gd_alpha_values=ListOf(Real(gt=1)), seed=Seed()))
def phase_retrieval_threshold_theory(
    *,
    p: int,
    alpha_values,
    n_instances: int,
    n_init: int,
    spectrum_p: int,
    delta_values,
    n_reps: int,
    gd_alpha_values=(4.0, 8.0, 12.0, 16.0, 20.0),
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
      smallest alpha with failures (``eigenvalue``; ``method = simulation``);
    * ``endpoint_bbp`` with ``method = threshold_states``: the same criterion under the law of
      marginal 1RSB states (:func:`.threshold_states.threshold_state`) at every alpha of
      ``gd_alpha_values``, and ``method = theory, line = alpha_GD``: its zero, bracketed by the
      first sign change on that grid.
    """
    from .lu_li import (endpoint_samples, law_from_samples, lu_li_curve, lu_li_outlier,
                        lu_li_transition, optimal_phase_retrieval_law, sample_spectrum)
    from .model import tangent_hessian

    gd_alpha_values = sorted(gd_alpha_values)
    if len(gd_alpha_values) < 2:
        raise ParameterError(f"gd_alpha_values needs >= 2 values > 1, got {gd_alpha_values!r}")
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
    bar = Progress("phase_retrieval_threshold_theory",
                   total=len(delta_values) + len(alpha_values) + len(gd_alpha_values) + 1)
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
    frames.append(_threshold_state_rows(gd_alpha_values, bar))
    cols = ["method", "panel", "alpha", "p", "overlap2", "overlap2_error", "top_eigenvalue", "bulk_edge",
            "criterion", "criterion_error", "lambda_min", "eigenvalue", "n_runs", "line"]
    return pd.concat(frames, ignore_index=True).reindex(columns=cols)


def _threshold_state_rows(alpha_values, bar: Progress) -> pd.DataFrame:
    """BBP criterion of marginal 1RSB states on a grid, and its zero alpha_GD (brentq)."""
    from .threshold_states import alpha_gd, threshold_state

    crit = []
    for a in alpha_values:
        crit.append(round(threshold_state(a).criterion, 9))  # rounded: see _theory_lines
        bar.update(note=f"threshold states alpha={a:g}: criterion {crit[-1]:+.3f}")
    rows = pd.DataFrame(dict(method="threshold_states", panel="endpoint_bbp", alpha=alpha_values, criterion=crit))
    k = next((i for i in range(len(crit) - 1) if crit[i] < 0 <= crit[i + 1]), None)
    if k is None:
        raise DivergenceError(f"threshold states: the BBP criterion does not change sign on "
                              f"gd_alpha_values={alpha_values} ({np.round(crit, 3).tolist()})")
    line = pd.DataFrame(dict(method="theory", panel="endpoint_bbp", line=["alpha_GD"],
                             alpha=round(alpha_gd(alpha_values[k], alpha_values[k + 1]), 6)))
    bar.update(note=f"alpha_GD = {line.alpha.iloc[0]:.4f}")
    return pd.concat([rows, line], ignore_index=True)


def plot_phase_retrieval_threshold_theory(df: pd.DataFrame):
    """(a) Lu--Li test case; (b) end-point BBP criterion vs alpha; (c) end-point spectrum."""
    fig, axes = subplots(3, width=3.4, height=3.2)
    ax1, ax2, ax3 = axes[0]
    tf = df[df.panel == "test_function"]
    th, sim = tf[tf.method == "theory"], tf[tf.method == "simulation"]
    ax1.plot(th.alpha, th.overlap2, "-", label="Lu–Li theory")
    ax1.errorbar(sim.alpha, sim.overlap2, yerr=sim.overlap2_error, fmt="o", ms=4, capsize=2,
                 label=eq("p", int(sim.p.iloc[0])) if len(sim) else None)
    for a in tf[tf.method == "transition"].alpha:
        ax1.axvline(a, color="0.4", ls=":", lw=1, label=rf"$\alpha_c = {a:.4f}$")
    ax1.set_xlabel(r"$\alpha = n/p$")
    ax1.set_ylabel(r"$\rho^2$ (top eigenvector · signal)")
    ax1.set_title(r"$T(y) = 1 - 1/y^2$", fontsize=9)
    ax1.legend(fontsize=7)
    bb = df[df.panel == "endpoint_bbp"]
    bt = bb[(bb.method == "theory") & bb.criterion.notna()]
    ax2.errorbar(bt.alpha, bt.criterion, yerr=bt.criterion_error, fmt="s-", ms=4, capsize=2,
                 label="Lu–Li criterion, GD end-point law")
    ax2.axhline(0.0, color="k", lw=0.8)
    ts = bb[bb.method == "threshold_states"]
    ax2.plot(ts.alpha, ts.criterion, "o-", color="C1", ms=3, lw=1, label="Lu–Li criterion, 1RSB threshold states")
    for a_gd in bb[(bb.method == "theory") & (bb.line == "alpha_GD")].alpha:
        ax2.axvline(a_gd, color="0.4", ls="-.", lw=1, label=f"{THRESHOLD_LABELS['alpha_GD']} = {a_gd:.4g} (1RSB)")
    if len(bt) >= 2:
        c = np.polyfit(bt.alpha, bt.criterion, 1)
        xs = np.linspace(bt.alpha.min(), max(-c[1] / c[0], bt.alpha.max()) if c[0] > 0 else bt.alpha.max(), 50)
        ax2.plot(xs, np.polyval(c, xs), ":", color="C0", lw=1, label="linear extrapolation")
    ax2.set_xlabel(r"$\alpha$")
    ax2.set_ylabel(r"$\delta\, g(\bar\lambda) - 1$  (> 0: outlier)")
    ax2.legend(fontsize=6, loc="lower right")
    hs = df[df.panel == "hessian_spectrum"]
    ev = hs[hs.method == "simulation"].eigenvalue.dropna()
    if len(ev):
        low = min(ev.min(), hs.bulk_edge.min(skipna=True) if hs.bulk_edge.notna().any() else ev.min())
        lo, hi = low - 1.0, float(np.quantile(ev, 0.5))
        edges = np.linspace(lo, hi, 41)
        # density of the whole spectrum, drawn on its lower half
        ax3.hist(ev[ev <= hi], bins=edges, weights=np.full(int((ev <= hi).sum()), 1.0 / (len(ev) * (edges[1] - edges[0]))),
                 color="0.6")
        for e in hs[hs.method == "theory"].bulk_edge.dropna():
            ax3.axvline(e, color="C3", ls="--", lw=1, label="Lu–Li edge (Gaussian rows)")
        ms = bb[(bb.method == "simulation") & np.isclose(bb.alpha, hs.alpha.iloc[0])]
        for e in ms.lambda_min:
            ax3.axvline(e, color="C0", ls="-", lw=1, label=r"mean $\lambda_{\min}$")
        ax3.axvline(0.0, color="k", lw=0.8)
        ax3.set_xlim(lo, hi)
        ax3.set_title("end-point tangent Hessian, " + eq("alpha", float(hs.alpha.iloc[0])), fontsize=9)
        ax3.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    ax3.set_xlabel("eigenvalue")
    ax3.set_ylabel("density")
    return fig


def check_phase_retrieval_threshold_theory(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Lu--Li solver against closed form, finite-p spectra and end-point Hessians.

    * the transition of T = 1 - 1/y^2 equals the closed form 1/2 within ``alpha_c_atol``;
    * finite-p mean squared overlaps agree with the theory within
      ``overlap_c / sqrt(p)`` (O(p^{-1/2}) finite-size corrections) plus 3 standard errors;
    * the alpha_GD line of the marginal 1RSB states (:func:`_check_gd_line`);
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
    # the plotted Lu--Li curve itself: below the transition the criterion at lambda = sup T
    # is 2 alpha - 1 in closed form, and at the simulated alphas the curve must meet the
    # finite-p spectra (independent of the solver) within the same allowance as below
    th = tf[tf.method == "theory"].sort_values("alpha")
    below = th[th.alpha < 0.5]
    if below.empty or len(th) < 10:
        raise AssertionError("threshold theory: the plotted Lu-Li curve is missing")
    np.testing.assert_allclose(below.criterion, 2 * below.alpha - 1, rtol=0,
                               atol=tolerance["alpha_c_atol"],
                               err_msg="plotted Lu-Li criterion of T = 1 - 1/y^2 vs 2 alpha - 1")
    curve = np.interp(sim.alpha, th.alpha, th.overlap2)
    allowance = tolerance["overlap_c"] / np.sqrt(sim.p) + 3.0 * sim.overlap2_error
    worst = int(np.argmax(np.abs(sim.overlap2 - curve) - allowance))
    if abs(sim.overlap2.iloc[worst] - curve[worst]) > allowance.iloc[worst]:
        raise AssertionError(f"plotted Lu-Li overlap^2 at alpha={sim.alpha.iloc[worst]:.3f}: "
                             f"{curve[worst]:.4f} vs finite-p {sim.overlap2.iloc[worst]:.4f} "
                             f"(tolerance {allowance.iloc[worst]:.4f})")
    for _, r in sim.iterrows():
        theory = lu_li_outlier(law, r.alpha)["overlap2"]
        tol = tolerance["overlap_c"] / np.sqrt(r.p) + 3.0 * r.overlap2_error
        if abs(r.overlap2 - theory) > tol:
            raise AssertionError(f"finite-p overlap^2 at alpha={r.alpha:.3f}, p={int(r.p)}: "
                                 f"{r.overlap2:.4f} vs Lu-Li {theory:.4f} (tolerance {tol:.4f})")
    bb = df[df.panel == "endpoint_bbp"]
    bt = bb[(bb.method == "theory") & bb.criterion.notna()]
    bs = bb[bb.method == "simulation"]
    if bt.empty:
        raise AssertionError("threshold theory: no end-point rows")
    _check_gd_line(bb, tolerance)
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
                  convergence_runs=Int(1), sdp_tol=Real(gt=0), sdp_threshold=Real(gt=0),
                  n_boot=Int(2), seed=Seed()))
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
    sdp_tol: float = 1.0e-8,
    sdp_threshold: float = 1.0e-5,
    n_boot: int = 200,
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
    All widths at one (d, alpha) are trained on the same ``n_runs`` instances (own starts).

    ``method = sdp`` (``panel = success``): on those instances (alpha >= 1), the probability
    that A* is the unique psd zero-loss matrix, by the semidefinite program of
    :func:`.quadratic_network.uniqueness_sdp` (Clarabel, gap ``sdp_tol``, unique iff the
    optimum relative to tr A* is below ``sdp_threshold``): ``success_probability,
    success_error, n_runs, n_certified`` (instances with a verified dual certificate),
    ``objective_max_unique, objective_min_nonunique`` (the gap of the classification).  The
    simulation rows carry ``n_success_nonunique``: runs that reached A* on an instance that
    the program finds non-unique.  ``method = sdp_fit``: logistic 50% point of P(unique) per
    d with its bootstrap error over instances (``alpha_50, alpha_50_error``).

    ``panel = convergence``: error and loss vs tau at d = ``convergence_d``, m = d, for a
    rank-one teacher (alpha_rank_one) and a full-rank one (alpha_full_rank > (d+1)/2, where
    the zero-loss PSD matrix is generically unique), ``teacher`` column; ``method = fit``
    rows give the late-time exponent d log e / d log tau per rank-one run (``exponent``).
    """
    from .finite_size import bootstrap_logistic, fit_logistic
    from highdim_dynamics.quadratic_network import (CERTIFICATE_MIN, quadratic_network_flow,
                                                    uniqueness_sdp_runs)

    labels = []
    for i, w in enumerate(width_ratios if isinstance(width_ratios, (list, tuple)) else [width_ratios]):
        labels.append("m=1" if w == "m=1" else positive(f"width_ratios[{i}]", w))
    cd = convergence_d
    a1 = convergence_alpha_rank_one
    af = convergence_alpha_full_rank
    cr = convergence_runs

    instances = [(d, a) for d in d_values for a in alpha_values]
    points = [(d, lab, a) for d, a in instances for lab in labels]
    seeds = np.random.SeedSequence(seed).generate_state(len(points) + len(instances) + 3)
    inst_seed = {key: int(seeds[len(points) + 3 + i]) for i, key in enumerate(instances)}
    bar = Progress("overparam_success", total=len(points) + len(instances) + 2)
    rows, per_run, sdp_rows, sdp_runs = [], [], [], []
    for d, alpha in instances:
        if int(round(alpha * d)) < d:
            continue
        sdp = uniqueness_sdp_runs(d=d, alpha=alpha, n_runs=n_runs, seed=inst_seed[(d, alpha)],
                                  tol=sdp_tol, threshold=sdp_threshold)
        sdp_runs.append(sdp.assign(d=d, alpha=float(alpha)))
        ku = int(sdp.unique.sum())
        pt = (ku + 1) / (n_runs + 2)
        sdp_rows.append(dict(method="sdp", panel="success", d=d, alpha=float(alpha), n_runs=n_runs,
                             success_probability=ku / n_runs, success_error=np.sqrt(pt * (1 - pt) / n_runs),
                             n_certified=int((sdp.certificate > CERTIFICATE_MIN).sum()),
                             objective_max_unique=sdp.objective[sdp.unique].max(),
                             objective_min_nonunique=sdp.objective[~sdp.unique].min()))
        bar.update(note=f"SDP d={d} alpha={alpha:g} P(unique)={ku / n_runs:.2f}")
    unique = {(int(r.d), float(r.alpha), int(r.run)): bool(r.unique) for r in pd.concat(sdp_runs).itertuples()} \
        if sdp_runs else {}
    for k, (d, lab, alpha) in enumerate(points):
        m = _width(d, lab)
        runs, _ = quadratic_network_flow(d=d, m=m, m_star=1, alpha=alpha, n_runs=n_runs,
                                         seed=inst_seed[(d, alpha)], init_seed=int(seeds[k]), tau_max=tau_max)
        ks = int(runs.success.sum())
        pt = (ks + 1) / (n_runs + 2)
        bad = [r for r in runs.run[runs.success] if not unique.get((d, float(alpha), int(r)), True)]
        rows.append(dict(method="simulation", panel="success", d=d, m=m, width=str(lab), alpha=float(alpha),
                         n_runs=n_runs, success_probability=ks / n_runs,
                         success_error=np.sqrt(pt * (1 - pt) / n_runs),
                         generalisation_error=float(runs.error.median()),
                         n_trapped=int((runs.status == "trapped").sum()),
                         n_nonunique=int((runs.status == "nonunique").sum()),
                         n_success_nonunique=len(bad)))
        per_run.append((d, str(lab), float(alpha), ks, n_runs))
        bar.update(note=f"d={d} m={m} alpha={alpha:g} P={ks / n_runs:.2f}")
    df = pd.DataFrame(rows)
    rng = np.random.default_rng(int(seeds[len(points) + 2]))
    sdp_fits = []
    if sdp_runs:
        allr = pd.concat(sdp_runs, ignore_index=True)
        for d, g in allr.groupby("d", sort=False):
            if 0 < g.unique.sum() < len(g):
                (a50, wdt), err = bootstrap_logistic(g.alpha, g.unique.astype(float), np.ones(len(g)),
                                                     n_boot=n_boot, rng=rng)
                sdp_fits.append(dict(method="sdp_fit", panel="success", d=d, alpha=a50, alpha_50=a50,
                                     alpha_50_error=err, logistic_width=wdt))
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
    return pd.concat([df, pd.DataFrame(fits), pd.DataFrame(sdp_rows), pd.DataFrame(sdp_fits), *conv, theory],
                     ignore_index=True)


def plot_overparam_success(df: pd.DataFrame):
    """P(success) vs alpha per width (panels) and d (colours), P(A* unique) from the SDP
    (open squares, dashed); error vs tau (rank one vs full)."""
    succ = df[(df.panel == "success") & (df.method == "simulation")]
    widths = list(dict.fromkeys(succ.width))
    fig, grid = subplots(len(widths) + 1, 2, width=3.0, height=2.8)
    axes = grid[0]
    fits = df[df.method == "logistic_fit"]
    for ax, lab in zip(grid[1], widths):
        for d, g in succ[succ.width == lab].groupby("d"):
            ax.plot(g.alpha, g.generalisation_error, "o-", ms=3.5, lw=1, label=eq("d", int(d)))
        ax.axvline(2.0, color="k", ls="--", lw=1)
        ax.set_yscale("log")
        ax.set_xlabel(r"$\alpha = n/d$")
    grid[1][0].set_ylabel(r"median $|A - A^*|_F / |A^*|_F$")
    grid[1][-1].set_axis_off()
    sdp = df[df.method == "sdp"]
    for ax, lab in zip(axes, widths):
        for d, g in succ[succ.width == lab].groupby("d"):
            line = ax.errorbar(g.alpha, g.success_probability, yerr=g.success_error, fmt="o-", ms=3.5,
                               capsize=2, lw=1, label=eq("d", int(d)))
            f = fits[(fits.width == lab) & (fits.d == d)]
            for a50 in f.alpha_50:
                ax.axvline(a50, color=line[0].get_color(), ls=":", lw=0.8)
            u = sdp[sdp.d == d]
            ax.plot(u.alpha, u.success_probability, "s--", ms=3.5, lw=0.9, mfc="none", color=line[0].get_color())
        if len(sdp):
            ax.plot([], [], "s--", ms=3.5, lw=0.9, mfc="none", color="0.4", label="A* unique (SDP)")
        ax.axvline(2.0, color="k", ls="--", lw=1, label=r"$\alpha = 2$")
        ax.set_title("$m = 1$" if lab == "m=1" else eq("m/d", float(lab)), fontsize=9)
        ax.set_xlabel(r"$\alpha = n/d$")
        ax.set_ylim(-0.05, 1.05)
    axes[0].set_ylabel("P(success)")
    axes[0].plot([], [], ls=":", color="0.4", lw=0.8, label=r"fitted $\alpha_{50}$")
    axes[0].legend(fontsize=6)
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


def check_overparam_success(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Compare with the theorem of arXiv:2006.15459.

    * m >= d: no run trapped at non-zero loss;
    * m >= d: P(success) <= ``p_low_max`` for alpha <= ``alpha_low`` and >= ``p_high_min``
      for alpha >= ``alpha_high`` (well below / above the uniqueness threshold alpha = 2);
    * rank-one teacher: median late-time exponent of the error within ``exponent_atol`` of
      -1 (|A - A*| ~ 1/tau); full-rank teacher: exponential convergence, i.e. the error
      reaches 1e-8 (the rank-one runs stay far above it in the same time);
    * exact uniqueness (SDP rows): P(unique) = 0 for n <= d (alpha <= ``sdp_alpha_dof``,
      a count, see below), <= ``sdp_p_low_max`` at alpha <= ``sdp_alpha_low`` for d >=
      ``sdp_low_min_d``, >= ``p_high_min`` at alpha >= ``sdp_alpha_high``; the
      classification gap (unique objectives <= ``sdp_unique_max``, non-unique >=
      ``sdp_nonunique_min``, relative to tr A*) and a verified dual certificate for every
      unique instance; for m >= d no gradient-flow success on a non-unique instance; the
      50% point of P(unique) of every d inside ``sdp_alpha50_window`` (it moves with d: it
      is reported, not compared with the d -> infinity value 2).

    Count for n <= d: write A = A* + B in the basis (x*, x*-perp).  Any psd block C on
    x*-perp can be compensated by the d free entries of the first row and column of B (the
    tangent space of the rank-one matrices), since the n <= d linear conditions on them are
    generically solvable: M is then more than a point.  Conversely a dual certificate
    Z = sum_k c_k x_k x_k^T >= 0 with kernel x* needs >= d positive c_k and one negative one,
    so uniqueness is possible from n = d + 1 on; between n = d + 1 and 2d it has a finite-d
    probability that vanishes only as d -> infinity (the theorem's alpha = 2).
    """
    succ = df[(df.panel == "success") & (df.method == "simulation")]
    big = succ[succ.m >= succ.d]
    if big.empty:
        raise AssertionError("overparam_success: no m >= d rows")
    ref = "theorem of arXiv:2006.15459 (m >= d: no spurious minimum; uniqueness threshold alpha = 2)"
    records: list = []
    require(records, "m >= d: runs trapped at non-zero loss", int(big.n_trapped.sum()), reference_name=ref)
    low = big[big.alpha <= tolerance["alpha_low"]]
    high = big[big.alpha >= tolerance["alpha_high"]]
    if low.empty or high.empty:
        raise AssertionError("overparam_success: need alpha values well below and well above 2")
    at_most(records, f"m >= d, alpha <= {tolerance['alpha_low']}: P(success)", low.success_probability,
            tolerance["p_low_max"], reference_name=ref)
    at_most(records, f"m >= d, alpha >= {tolerance['alpha_high']}: 1 − P(success)",
            1 - high.success_probability, 1 - tolerance["p_high_min"], reference_name=ref)
    ex = df[(df.method == "fit") & (df.teacher == "rank_one")].exponent
    if ex.empty:
        raise AssertionError("overparam_success: no convergence-exponent rows")
    compare(records, "median late-time exponent of |A − A*|, rank-one teacher", ex.median(), -1.0,
            tolerance["exponent_atol"], reference_name="|A − A*| ~ 1/tau (arXiv:2006.15459)")
    full = df[(df.panel == "convergence") & (df.method == "simulation") & (df.teacher == "full_rank")]
    if full.empty:
        raise AssertionError("overparam_success: no full-rank convergence runs")
    at_most(records, "full-rank teacher: smallest error reached (exponential convergence)",
            full.groupby("run").error.min(), 1e-8, reference_name="exponential convergence (arXiv:2006.15459)")
    _check_uniqueness_sdp(df, big, tolerance)
    return records


def _check_uniqueness_sdp(df: pd.DataFrame, big: pd.DataFrame, tol: dict) -> None:
    """The SDP part of :func:`check_overparam_success`."""
    sdp = df[df.method == "sdp"]
    if sdp.empty:
        raise AssertionError("overparam_success: no exact-uniqueness (method = sdp) rows")
    n_unique = np.rint(sdp.success_probability * sdp.n_runs)
    if (sdp.n_certified != n_unique).any():
        bad = sdp[sdp.n_certified != n_unique].iloc[0]
        raise AssertionError(f"SDP d={bad.d:g} alpha={bad.alpha:g}: {int(bad.n_certified)} verified certificates "
                             f"for {int(np.rint(bad.success_probability * bad.n_runs))} instances classified unique")
    hi, lo = sdp.objective_max_unique.max(), sdp.objective_min_nonunique.min()
    if hi > tol["sdp_unique_max"] or lo < tol["sdp_nonunique_min"]:
        raise AssertionError(f"SDP classification gap closed: unique objectives up to {hi:.2e} "
                             f"(> {tol['sdp_unique_max']}?), non-unique from {lo:.2e} (< {tol['sdp_nonunique_min']}?)")
    dof = sdp[sdp.alpha <= tol["sdp_alpha_dof"]]
    low = sdp[(sdp.alpha <= tol["sdp_alpha_low"]) & (sdp.d >= tol["sdp_low_min_d"])]
    high = sdp[sdp.alpha >= tol["sdp_alpha_high"]]
    if dof.empty or low.empty or high.empty:
        raise AssertionError("overparam_success: SDP rows need alpha <= 1, alpha <= "
                             f"{tol['sdp_alpha_low']} at d >= {tol['sdp_low_min_d']} and alpha >= {tol['sdp_alpha_high']}")
    if (dof.success_probability > 0).any():
        raise AssertionError(f"n <= d: P(unique) = {dof.success_probability.max():.3f}, must be 0")
    if (low.success_probability > tol["sdp_p_low_max"]).any():
        raise AssertionError(f"alpha <= {tol['sdp_alpha_low']}: P(unique) {low.success_probability.max():.3f} "
                             f"> {tol['sdp_p_low_max']}")
    if (high.success_probability < tol["p_high_min"]).any():
        raise AssertionError(f"alpha >= {tol['sdp_alpha_high']}: P(unique) {high.success_probability.min():.3f} "
                             f"< {tol['p_high_min']}")
    if big.n_success_nonunique.sum() > 0:
        raise AssertionError(f"m >= d: {int(big.n_success_nonunique.sum())} gradient-flow runs reached A* on "
                             "instances where the SDP finds other zero-loss psd matrices")
    fit = df[df.method == "sdp_fit"]
    if fit.empty:
        raise AssertionError("overparam_success: no 50% point of P(unique) (method = sdp_fit)")
    lo_a, hi_a = tol["sdp_alpha50_window"]
    out = fit[(fit.alpha_50 < lo_a) | (fit.alpha_50 > hi_a)]
    if len(out):
        raise AssertionError(f"50% point of P(unique) {out.alpha_50.iloc[0]:.3f} at d = {out.d.iloc[0]:g} "
                             f"outside [{lo_a}, {hi_a}]")
