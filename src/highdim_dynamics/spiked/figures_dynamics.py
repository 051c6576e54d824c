"""Figures of the spiked matrix-tensor dynamics: Langevin / gradient-flow DMFT, thresholds,
finite-N simulations and the annealing protocol (PRX 2020 "Marvels and Pitfalls of the
Langevin Algorithm", NeurIPS 2019 "Who is Afraid of Big Bad Minima?").

Each figure has ``<id>(**params, seed)`` (data), ``plot_<id>(df)`` and
``check_<id>(df, params, tolerance)``.  The checks compare with references computed
independent of the DMFT: the Bayes-AMP and ML-AMP fixed points (``spiked.theory`` and
``spiked.model``), the closed-form algorithmic lines, and finite-N simulations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from highdim_dynamics.core.checking import compare, require
from highdim_dynamics.core.plotting import (eq, figure_legend, method_style, params_text,
                                            plain_log_ticks, subplots, sym)
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (Int, ListOf, ParameterError, Real, Rule, Seed,
                                              constrained, integer, positive, sequence)
from highdim_dynamics.spiked.dmft.thresholds import (escape_time, extrapolate_threshold,
                                                     growth_rate, late_growth_rates)
from highdim_dynamics.core.numerics import power_law_divergence_fit
from highdim_dynamics.spiked.finite_n.langevin_simulation import check_dt
from highdim_dynamics.spiked.model import dQ, ml_amp_fixed_point
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

#: Domains of the figure parameters shared by the spiked-dynamics figures.
_SPIKED = dict(p=Int(3), delta_p=Real(gt=0), delta2=Real(gt=0), cbar0=Real(gt=0, lt=1),
               t_max=Real(gt=0), temperature=Real(ge=0), seed=Seed())


def _spiked(*names, **extra):
    return {**{n: _SPIKED[n] for n in names}, **extra}


ESCAPE_LEVEL = 0.3


def _thin(df, n_keep=400):
    """Keep about ``n_keep`` rows log-spaced in time (the adaptive grid is dense early)."""
    if len(df) <= n_keep:
        return df
    t = df["t"].to_numpy()
    targets = np.concatenate([[0.0], np.geomspace(max(t[1], 1e-3), t[-1], n_keep)])
    idx = np.unique(np.clip(np.searchsorted(t, targets), 0, len(t) - 1))
    return df.iloc[idx]


def _tidy_dmft(df, n_keep=400, **labels):
    """A DMFT trajectory as tidy figure rows: thinned to ``n_keep`` rows, ``method = dmft``,
    and ``labels`` (p, delta_p, delta2, temperature, cbar0) as constant columns."""
    out = _thin(df, n_keep)[["t", "cbar", "mu", "energy"]].copy()
    out.insert(0, "method", "dmft")
    for k, v in labels.items():
        out[k] = v
    return out


# ----------------------------------------------------------------------------------------
# langevin_state_evolution
# ----------------------------------------------------------------------------------------
@constrained(_spiked("p", "delta_p", "cbar0", "t_max", "temperature", "seed",
                     delta2_values=ListOf(Real(gt=0))))
def langevin_state_evolution(*, p=3, delta_p=1.0, delta2_values, cbar0=1e-4, t_max=2000.0,
                             extrapolate=False, temperature=1.0, seed=0) -> pd.DataFrame:
    """DMFT C̄(t), μ(t), e(t) of Langevin at T = 1 for several Δ2 (PRX 2020, Fig. 3).

    One :func:`highdim_dynamics.spiked.solve_dmft` run per Δ2 at its (converged) defaults;
    ``extrapolate`` uses its Richardson pair instead.  Columns ``method, p, delta_p,
    delta2, temperature, cbar0, t, cbar, mu, energy``.  Deterministic (``seed`` unused).
    """
    from .dmft import solve_dmft

    bar = Progress("langevin_state_evolution", len(delta2_values))
    frames = []
    for d2 in delta2_values:
        df = solve_dmft(p, d2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max,
                        extrapolate=bool(extrapolate), error_estimate=False)
        # 2000 log-spaced rows: the escape times read from the CSV move by < 0.05%
        frames.append(_tidy_dmft(df, 2000, p=p, delta_p=delta_p, delta2=d2,
                                 temperature=temperature, cbar0=cbar0))
        bar.update()
    return pd.concat(frames, ignore_index=True)


def plot_langevin_state_evolution(df):
    fig, axes = subplots(2)
    d2s = sorted(df["delta2"].unique())
    colors = dict(zip(d2s, [f"C{k}" for k in range(len(d2s))]))
    for (method, d2), g in df.groupby(["method", "delta2"]):
        g = g[g["t"] > 0]
        kw = method_style(method)
        axes[0][0].plot(g["t"], g["cbar"], color=colors[d2], label=eq("delta2", d2)
                        if method == "dmft" else None, **kw)
        axes[0][1].plot(g["t"], g["mu"], color=colors[d2], **kw)
    r = df.iloc[0]
    axes[0][0].set(xscale="log", xlabel=sym("t"), ylabel=r"$\bar{C}(t) = x\cdot x^*/N$",
                   title="Langevin, " + params_text(T=float(r["temperature"]), p=int(r["p"]),
                                                    delta_p=float(r["delta_p"])))
    axes[0][1].set(xscale="log", xlabel=sym("t"), ylabel=r"$\mu(t)$")
    axes[0][0].legend(loc="upper left")
    return fig


def _check_plateaus(df, tolerance, reference):
    """Runs whose C̄ has escaped and converged must sit on ``reference(p, Δ2, Δp)``."""
    n_checked = 0
    for (p, dp, d2), g in df[df["method"] == "dmft"].groupby(["p", "delta_p", "delta2"]):
        g = g.sort_values("t")
        t_end = g["t"].iloc[-1]
        t_esc = escape_time(g, ESCAPE_LEVEL)
        if not np.isfinite(t_esc) or t_esc > t_end / 4:
            continue  # not escaped early enough to have converged: nothing to compare
        m_ref, mu_ref = reference(int(p), d2, dp)
        last = g.iloc[-1]
        assert_allclose(last["cbar"], m_ref, atol=tolerance["plateau_atol"],
                        err_msg=f"C̄ plateau vs fixed point at Δ2 = {d2}")
        assert_allclose(last["mu"], mu_ref, rtol=tolerance["mu_rtol"],
                        err_msg=f"μ(∞) vs identity at Δ2 = {d2}")
        n_checked += 1
    return n_checked


def _check_escape_references(df, tolerance, temperature):
    """Escape times t(C̄ = level) of the figure's curves against independent converged values
    ``tolerance['escape_references']`` = {Δ2: {level: [t, uncertainty]}} within
    ``escape_rtol`` (relative, plus the reference's own uncertainty)."""
    refs = tolerance.get("escape_references", {})
    dm = df[(df["method"] == "dmft") & np.isclose(df["temperature"], temperature)]
    n = 0
    for d2, levels in refs.items():
        g = dm[np.isclose(dm["delta2"], float(d2))].sort_values("t")
        assert len(g), f"no DMFT curve at Δ2 = {d2} to compare with its reference"
        for level, (t_ref, unc) in levels.items():
            t = escape_time(g, float(level))
            assert abs(t - t_ref) <= tolerance["escape_rtol"] * t_ref + unc, (
                f"t(C̄ = {level}) = {t:.4g} at Δ2 = {d2} vs converged {t_ref} ± {unc}")
            n += 1
    return n


def check_langevin_state_evolution(df, params, tolerance):
    """T = 1: escape times within ``escape_rtol`` of independent converged values; escaped
    runs converge to the Bayes-AMP fixed point m* and μ → 1 + Q'(1); escape times grow
    with Δ2."""

    def reference(p, d2, dp):
        return bayes_amp_fixed_point(p, d2, dp), 1.0 + dQ(1.0, p, d2, dp)

    n_esc = _check_escape_references(df, tolerance, 1.0)
    assert n_esc >= tolerance.get("min_escape_references", 1), f"only {n_esc} escape references"
    n = _check_plateaus(df, tolerance, reference)
    assert n >= tolerance.get("min_plateaus", 1), f"only {n} runs converged to a plateau"
    dm = df[df["method"] == "dmft"]
    esc = [escape_time(g.sort_values("t"), ESCAPE_LEVEL) for _, g in dm.groupby("delta2")]
    assert all(b >= a for a, b in zip(esc, esc[1:])), f"escape times must grow with Δ2: {esc}"


# ----------------------------------------------------------------------------------------
# gradient_flow_state_evolution
# ----------------------------------------------------------------------------------------
@constrained(_spiked("p", "delta_p", "cbar0", "t_max", "seed",
                     inv_delta2_values=ListOf(Real(gt=0))))
def gradient_flow_state_evolution(*, p=3, delta_p=1.0, inv_delta2_values, cbar0=1e-4,
                                  t_max=400.0, seed=0) -> pd.DataFrame:
    """DMFT of gradient flow (T = 0): C̄(t), μ(t) and e(t) for several 1/Δ2 (NeurIPS 2019,
    Fig. 2).  Columns as ``langevin_state_evolution`` (temperature = 0).

    One :func:`highdim_dynamics.spiked.solve_dmft` run per 1/Δ2 at its defaults.
    """
    from .dmft import solve_dmft

    inv = inv_delta2_values
    bar = Progress("gradient_flow_state_evolution", len(inv))
    frames = []
    for y in inv:
        df = solve_dmft(p, 1.0 / y, delta_p, temperature=0.0, cbar0=cbar0, t_max=t_max,
                        error_estimate=False)
        frames.append(_tidy_dmft(df, 2000, p=p, delta_p=delta_p, delta2=1.0 / y,
                                 temperature=0.0, cbar0=cbar0))
        bar.update()
    out = pd.concat(frames, ignore_index=True)
    out["inv_delta2"] = 1.0 / out["delta2"]
    return out


def plot_gradient_flow_state_evolution(df):
    fig, axes = subplots(2)
    for k, (y, g) in enumerate(df.groupby("inv_delta2")):
        g = g[g["t"] > 0]
        axes[0][0].plot(g["t"], g["cbar"], color=f"C{k}", label=eq("inv_delta2", y, ".3g"))
        axes[0][1].plot(g["t"], g["energy"], color=f"C{k}")
    axes[0][0].set(xscale="log", xlabel=sym("t"), ylabel=r"$\bar{C}(t)$",
                   title="gradient flow, " + params_text(p=int(df["p"].iloc[0]),
                                                         delta_p=float(df["delta_p"].iloc[0])))
    axes[0][1].set(xscale="log", xlabel=sym("t"), ylabel=r"energy $e(t)$")
    axes[0][0].legend(loc="upper left")
    return fig


def check_gradient_flow_state_evolution(df, params, tolerance):
    """T = 0: escaped runs converge to the ML-AMP fixed point and μ → B + Q''(1)/B; the
    runs below the GF line (1/Δ2 < closed form) have not escaped at t_max (their
    energy plateaus), and escape times decrease with 1/Δ2."""
    from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

    def reference(p, d2, dp):
        m, b = ml_amp_fixed_point(p, d2, dp)
        return m, b + (1.0 / d2 + (p - 1) / dp) / b

    n = _check_plateaus(df, tolerance, reference)
    assert n >= tolerance.get("min_plateaus", 1), f"only {n} runs converged to a plateau"
    for (p, dp, y), g in df.groupby(["p", "delta_p", "inv_delta2"]):
        line = gradient_flow_line(int(p), dp)
        if y < line * (1 - tolerance["line_margin"]):
            assert g["cbar"].max() < ESCAPE_LEVEL, \
                f"1/Δ2 = {y} is below the GF line {line:.4g} but C̄ escaped before t_max"
    esc = [escape_time(g.sort_values("t"), ESCAPE_LEVEL) for _, g in df.groupby("inv_delta2")]
    assert all(b <= a for a, b in zip(esc, esc[1:])), f"escape times must decrease with 1/Δ2: {esc}"


# ----------------------------------------------------------------------------------------
# langevin_threshold
# ----------------------------------------------------------------------------------------
#: Times at which the instantaneous growth rate λ(t) = d ln C̄/dt of the linear regime is
#: reported by ``langevin_threshold`` (those the reference DMFT tabulates).
GROWTH_TIMES = (300.0, 500.0, 1000.0, 2000.0)


@constrained(_spiked("p", "delta_p", "cbar0", "t_max", "temperature",
                     "seed", delta2_values=ListOf(Real(gt=0))))
def langevin_threshold(*, p=3, delta_p=1.0, delta2_values, cbar0=1e-4, t_max=2000.0,
                       temperature=1.0, seed=0) -> pd.DataFrame:
    """Late growth rate (linear regime) and escape time (fixed C̄(0)) vs Δ2, and the
    extrapolated threshold Δ2* of both criteria (PRX 2020, Fig. 4).

    Both come from the DMFT engine (:func:`.dmft.solve_dmft` at its converged defaults):
    the growth rates from linear-regime runs (:func:`.dmft.thresholds.late_growth_rates`),
    the escape times t(C̄ = 0.3) from runs at C̄(0) = ``cbar0`` (``value_err``: the
    engine's error estimate; escape times not reached by ``t_max`` are written as NaN).
    Deterministic (``seed`` unused).

    Tidy columns ``method, p, delta_p, temperature, delta2, quantity, value, value_err``:
    ``quantity`` ∈ {lambda_late, lambda_early, growth_rate_<t> (λ(t) at t in
    :data:`GROWTH_TIMES` up to t_max), escape_time} (method ``dmft``) and ``threshold``
    (method ``growth_rate`` with error bar, ``escape_fit`` the power-law fit of the escape
    times at fixed C̄(0), ``theory`` the closed-form line).
    """
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line
    from .dmft import solve_dmft

    delta2_values = sorted(delta2_values)
    rows = []
    base = dict(p=p, delta_p=delta_p, temperature=temperature)
    lam_late, lam_early = [], []
    bar = Progress("growth rates", len(delta2_values))
    for d2 in delta2_values:
        r = late_growth_rates(p, d2, delta_p, temperature=temperature, t_max=t_max)
        lam_late.append(r["lambda_late"])
        lam_early.append(r["lambda_early"])
        for q in ("lambda_late", "lambda_early"):
            rows.append(dict(base, method="dmft", delta2=d2, quantity=q, value=r[q],
                             value_err=np.nan))
        t, lam = r["df"]["t"].to_numpy(), growth_rate(r["df"])
        for tg in GROWTH_TIMES:
            if tg <= r["t_end"]:
                rows.append(dict(base, method="dmft", delta2=d2, quantity=f"growth_rate_{tg:g}",
                                 value=float(np.interp(tg, t, lam)), value_err=np.nan))
        bar.update()
    esc = []
    bar = Progress("escape times", len(delta2_values))
    for d2 in delta2_values:
        df = solve_dmft(p, d2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max)
        esc.append(df.attrs["escape_times"][ESCAPE_LEVEL])
        finite = np.isfinite(esc[-1])
        rows.append(dict(base, method="dmft", delta2=d2, quantity="escape_time",
                         value=esc[-1] if finite else np.nan,
                         value_err=esc[-1] * df.attrs["error"]["escape_time_rel"]
                         if finite else np.nan))
        bar.update()
    star, err = extrapolate_threshold(delta2_values, lam_late, lam_early)
    rows.append(dict(base, method="growth_rate", delta2=star, quantity="threshold",
                     value=star, value_err=err))
    star_e, theta = power_law_divergence_fit(delta2_values, np.where(np.isfinite(esc), esc, np.nan),
                                            side="below")
    rows.append(dict(base, method="escape_fit", delta2=star_e, quantity="threshold",
                     value=star_e, value_err=np.nan))
    th = 1.0 / langevin_line(p, delta_p, temperature)
    rows.append(dict(base, method="theory", delta2=th, quantity="threshold", value=th,
                     value_err=0.0))
    return pd.DataFrame(rows)


def plot_langevin_threshold(df):
    fig, axes = subplots(2)
    d = df[df["method"] == "dmft"]
    thr = df[df["quantity"] == "threshold"].set_index("method")
    ax = axes[0][0]
    for q, lab in (("lambda_late", r"$\lambda$, $t \in [t_{\max}/2, t_{\max}]$"),
                   ("lambda_early", r"$\lambda$, $t \in [t_{\max}/4, t_{\max}/2]$")):
        g = d[d["quantity"] == q].sort_values("delta2")
        ax.plot(g["delta2"], g["value"], marker="o", label=lab)
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(thr.loc["theory", "value"], color="k", ls="--", label="closed form")
    s, e = thr.loc["growth_rate", "value"], thr.loc["growth_rate", "value_err"]
    ax.axvspan(s - e, s + e, color="tab:green", alpha=0.2, label=r"extrapolated $\Delta_2^*$")
    ax.set(xlabel=sym("delta2"), ylabel=r"late growth rate of $\ln \bar{C}$",
           title=r"linear regime, $\bar{C}(0) \to 0^+$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    ax = axes[0][1]
    g = d[d["quantity"] == "escape_time"].sort_values("delta2")
    ax.errorbar(g["delta2"], g["value"], yerr=g["value_err"], marker="o", capsize=3,
                label=rf"escape time ($\bar{{C}} = {ESCAPE_LEVEL:g}$)")
    ax.axvline(thr.loc["theory", "value"], color="k", ls="--", label="closed form")
    if np.isfinite(thr.loc["escape_fit", "value"]):
        ax.axvline(thr.loc["escape_fit", "value"], color="tab:red", ls=":", label="power-law fit")
    ax.set(xlabel=sym("delta2"), ylabel=r"$t_{\mathrm{esc}}$", yscale="log",
           title=r"fixed $\bar{C}(0)$")
    plain_log_ticks(ax.yaxis)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    return fig


def _check_against_reference(d, temperature, tolerance):
    """Escape times and growth rates of ``langevin_threshold`` vs the reference DMFT
    (``spiked.dmft_reference``, p = 3, Δp = 1) wherever it tabulates the figure's Δ2:
    |x − ref| <= rtol·ref + n_sigma·(reference uncertainty).  Returns the number compared."""
    from .dmft_reference import reference_values

    ref = reference_values()
    ref = ref[np.isclose(ref["temperature"], temperature)]
    n = 0
    for r in d.itertuples():
        q = f"t_escape_{ESCAPE_LEVEL:g}" if r.quantity == "escape_time" else r.quantity
        if not (q.startswith("t_escape") or q.startswith("growth_rate")) or not np.isfinite(r.value):
            continue
        m = ref[(ref["quantity"] == q) & np.isclose(ref["delta2"], r.delta2, rtol=1e-6, atol=0)]
        if len(m) != 1:
            continue
        value, unc = float(m["value"].iloc[0]), float(m["uncertainty"].iloc[0])
        rtol = tolerance["escape_rtol" if q.startswith("t_escape") else "growth_rtol"]
        bound = rtol * abs(value) + tolerance["n_sigma"] * unc
        assert abs(r.value - value) <= bound, \
            (f"{r.quantity} = {r.value:.6g} at Δ2 = {r.delta2:g} vs reference DMFT "
             f"{value:.6g} ± {unc:.2g} (allowed {bound:.2g})")
        n += 1
    return n


def check_langevin_threshold(df, params, tolerance):
    """The extrapolated Δ2* ± err brackets the closed form (1/√2 at p = 3, Δp = 1), with an
    error bar no larger than ``max_err``; growth rates decrease and escape times grow
    with Δ2; at p = 3, Δp = 1 the escape times and the growth rates λ(t) agree with the
    reference DMFT (``spiked.dmft_reference``) at every Δ2 it tabulates, at least
    ``min_reference`` of them."""
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line

    thr = df[df["quantity"] == "threshold"].set_index("method")
    for m in ("growth_rate", "theory"):
        assert m in thr.index, f"the {m} threshold row is missing"
    s, e = thr.loc["growth_rate", "value"], thr.loc["growth_rate", "value_err"]
    th = 1.0 / langevin_line(int(params.get("p", 3)), float(params.get("delta_p", 1.0)),
                             float(params.get("temperature", 1.0)))
    assert_allclose(thr.loc["theory", "value"], th, rtol=1e-9,  # written by the same formula
                    err_msg="plotted closed-form threshold")
    assert e <= tolerance["max_err"], f"error bar {e:.3g} larger than {tolerance['max_err']}"
    d = df[df["method"] == "dmft"]
    late = d[d["quantity"] == "lambda_late"].sort_values("delta2")
    early = d[d["quantity"] == "lambda_early"].sort_values("delta2")
    again = extrapolate_threshold(late["delta2"], late["value"], early["value"])
    assert_allclose([s, e], again, rtol=1e-9,  # the same fit of the CSV's own growth rates
                    err_msg="threshold row vs the extrapolation of the growth rates in the CSV")
    assert abs(s - th) <= e + tolerance["atol"], \
        f"extrapolated Δ2* = {s:.4f} ± {e:.4f} does not bracket the closed form {th:.4f}"
    lam = late["value"].to_numpy()
    assert np.all(np.diff(lam) < 0), f"late growth rates must decrease with Δ2: {lam}"
    esc = d[d["quantity"] == "escape_time"].sort_values("delta2")["value"].to_numpy()
    esc = np.where(np.isfinite(esc), esc, np.inf)
    assert all(b >= a for a, b in zip(esc, esc[1:])), f"escape times must grow with Δ2: {esc}"
    if int(params.get("p", 3)) == 3 and float(params.get("delta_p", 1.0)) == 1.0 \
            and float(params.get("cbar0", 1e-4)) == 1e-4:
        n = _check_against_reference(d, float(params.get("temperature", 1.0)), tolerance)
        assert n >= tolerance["min_reference"], \
            f"only {n} values compared with the reference DMFT (need {tolerance['min_reference']})"


# ----------------------------------------------------------------------------------------
# langevin_phase_diagram
# ----------------------------------------------------------------------------------------
def _model_pair(name, pair):
    """Validate one [p, Δp] pair of a ``points`` list."""
    if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise ParameterError(f"{name} must be a pair [p, delta_p], got {pair!r}")
    return integer(f"{name} p", pair[0], minimum=3), positive(f"{name} delta_p", pair[1])


@constrained(_spiked("t_max", "seed", n_points=Int(3), n_line=Int(2)))
def langevin_phase_diagram(*, points, t_max=1000.0, n_points=5, n_line=40,
                           seed=0) -> pd.DataFrame:
    """DMFT Langevin (T = 1) threshold points vs the closed-form line and the AMP / IT lines.

    ``points`` lists the (p, Δp) pairs where a DMFT threshold point is computed (the p = 4
    dome of the Langevin line lies at Δp < 0.5, the p = 3 points at Δp ~ 1).  Each point
    is the growth-rate extrapolation of :func:`.dmft.thresholds.dmft_threshold_points`
    on linear-regime runs of the DMFT engine (:func:`.dmft.solve_dmft`, defaults; its
    step is capped by the explicit stability bound, as on the p = 4 dome).  Deterministic
    (``seed`` unused).

    Columns ``p, delta_p, line, inv_delta2, inv_delta2_err, method``: ``method`` = ``dmft``
    (``line`` = ``langevin_T1``, with error bar) or ``theory`` (``langevin_T1``, ``amp``,
    ``it`` on a grid of ``n_line`` values of Δp spanning each p's points).
    """
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line
    from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds
    from highdim_dynamics.spiked.dmft.thresholds import dmft_threshold_points

    pairs = sequence("points", points, _model_pair)
    p_values = sorted({p for p, _ in pairs})
    rows = []
    for p in p_values:
        dps = [dp for q, dp in pairs if q == p]
        pts = dmft_threshold_points([p], dps, temperature=1.0,
                                    guess=lambda p, dp: langevin_line(p, dp, 1.0), t_max=t_max,
                                    n_points=n_points, progress=True)
        rows += [dict(p=r.p, delta_p=r.delta_p, line="langevin_T1", inv_delta2=r.inv_delta2,
                      inv_delta2_err=r.inv_delta2_err, method="dmft") for r in pts.itertuples()]
        for dp in np.linspace(min(dps) * 0.8, max(dps) * 1.2, n_line):
            lines = bayes_optimal_thresholds(p, dp, clip=True)
            lines["langevin_T1"] = langevin_line(p, dp, 1.0)
            for k in ("amp", "it", "langevin_T1"):
                rows.append(dict(p=p, delta_p=dp, line=k, inv_delta2=float(lines[k]),
                                 inv_delta2_err=np.nan, method="theory"))
    return pd.DataFrame(rows)


def plot_langevin_phase_diagram(df):
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps))
    names = dict(amp="AMP", it="IT", langevin_T1="Langevin $T = 1$ (closed form)")
    for ax, p in zip(axes[0], ps):
        sub = df[df["p"] == p]
        for k, g in sub[sub["method"] == "theory"].groupby("line"):
            g = g.sort_values("delta_p")
            ax.plot(g["delta_p"], g["inv_delta2"], label=names[k],
                    ls={"amp": "-", "it": ":", "langevin_T1": "--"}[k], color="k" if k != "langevin_T1" else "tab:blue")
        g = sub[sub["method"] == "dmft"]
        ax.errorbar(g["delta_p"], g["inv_delta2"], yerr=g["inv_delta2_err"], fmt="o",
                    color="tab:red", label="DMFT (growth rate)")
        ax.set(xlabel=sym("delta_p"), ylabel=sym("inv_delta2"), title=eq("p", p))
        ax.legend(loc="upper right")
    return fig


def check_langevin_phase_diagram(df, params, tolerance):
    """Each DMFT point lies within its error bar (+ atol) and within ``max_rel_dev``
    (relative) of the closed-form Langevin line, and the error bars are below
    ``max_rel_err`` (relative)."""
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line

    pts = df[df["method"] == "dmft"]
    assert len(pts) >= len(params["points"]), "missing DMFT threshold points"
    lang = df[(df["method"] == "theory") & (df["line"] == "langevin_T1")]
    assert len(lang), "closed-form Langevin line missing"
    assert_allclose(lang["inv_delta2"], [langevin_line(int(r.p), r.delta_p, 1.0)
                                         for r in lang.itertuples()],
                    rtol=1e-9, err_msg="plotted closed-form Langevin line")  # same formula
    for r in pts.itertuples():
        line = langevin_line(int(r.p), r.delta_p, 1.0)
        assert r.inv_delta2_err <= tolerance["max_rel_err"] * line, \
            f"error bar too large at p={r.p}, Δp={r.delta_p}: {r.inv_delta2_err:.3g}"
        assert abs(r.inv_delta2 - line) <= tolerance["max_rel_dev"] * line, \
            (f"DMFT point 1/Δ2 = {r.inv_delta2:.4f} more than {tolerance['max_rel_dev']:.0%} "
             f"from the closed form {line:.4f} at p={r.p}, Δp={r.delta_p}")
        assert abs(r.inv_delta2 - line) <= r.inv_delta2_err + tolerance["atol"], \
            (f"DMFT point 1/Δ2 = {r.inv_delta2:.4f} ± {r.inv_delta2_err:.4f} vs closed form "
             f"{line:.4f} at p={r.p}, Δp={r.delta_p}")


# ----------------------------------------------------------------------------------------
# annealing_protocol
# ----------------------------------------------------------------------------------------
#: The annealing protocol of PRX 2020 (Sec. VII) as the authors' public Langevin code defines
#: it: the tensor terms divided by Tp(t) = 1 + (c/Δp) e^{−t/τ}, i.e. Δp_eff = Δp + c e^{−t/τ}.
ANNEAL_C = 100.0
ANNEAL_TAU = 70.0


@constrained(_spiked("p", "delta_p", "delta2", "cbar0", "t_max", "seed",
                     anneal_c_values=ListOf(Real(gt=0)), anneal_tau=Real(gt=0)))
def annealing_protocol(*, p=3, delta_p=1.0, delta2=0.8, cbar0=1e-4, t_max=1000.0,
                       anneal_c_values=(ANNEAL_C,), anneal_tau=ANNEAL_TAU,
                       seed=0) -> pd.DataFrame:
    """Langevin (T = 1) DMFT with and without annealing of the tensor terms used by the
    algorithm, Δp_eff(t) = Δp + c e^{−t/τ} for t > 1 (Δp + c before; c = 0: no annealing;
    PRX 2020, Sec. VII: c = 100, τ = 70).

    One :func:`.dmft.solve_dmft` run per c at its converged defaults (``anneal`` =
    :class:`.dmft.Anneal`).  Columns of ``langevin_state_evolution`` plus ``anneal_c,
    anneal_tau``.  Deterministic (``seed`` unused).
    """
    from .dmft import Anneal, solve_dmft

    cs = [0.0] + list(anneal_c_values)
    frames = []
    for c in cs:
        df = solve_dmft(p, delta2, delta_p, temperature=1.0, cbar0=cbar0, t_max=t_max,
                        anneal=Anneal(c=c, tau=anneal_tau) if c > 0 else None,
                        error_estimate=False)
        g = _tidy_dmft(df, 2000, p=p, delta_p=delta_p, delta2=delta2, temperature=1.0,
                       cbar0=cbar0)
        g["anneal_c"] = c
        g["anneal_tau"] = anneal_tau
        frames.append(g)
    return pd.concat(frames, ignore_index=True)


def plot_annealing_protocol(df):
    fig, axes = subplots(2)
    for k, (c, g) in enumerate(df.groupby("anneal_c")):
        g = g[g["t"] > 0]
        tau = g["anneal_tau"].iloc[0]
        lab = "no annealing" if c == 0 else rf"$\Delta_p^{{\mathrm{{eff}}}} = \Delta_p + {c:g}\,e^{{-t/{tau:g}}}$"
        axes[0][0].plot(g["t"], g["cbar"], color=f"C{k}", label=lab)
        dp_eff = g["delta_p"] + c * np.exp(-np.maximum(g["t"], 1.0) / tau)
        axes[0][1].plot(g["t"], dp_eff, color=f"C{k}")
    r = df.iloc[0]
    m = bayes_amp_fixed_point(int(r["p"]), r["delta2"], r["delta_p"])
    axes[0][0].axhline(m, color="k", ls=":", label="Bayes-AMP fixed point")
    axes[0][0].set(xscale="log", xlabel=sym("t"), ylabel=r"$\bar{C}(t)$",
                   title="Langevin, " + params_text(p=int(r["p"]), delta_p=float(r["delta_p"]),
                                                    delta2=float(r["delta2"])))
    axes[0][1].set(xscale="log", yscale="log", xlabel=sym("t"), ylabel=r"$\Delta_p^{\mathrm{eff}}(t)$")
    for ax in axes[0]:  # nothing happens before t ~ τ/100
        ax.set_xlim(left=max(1e-3, float(df["anneal_tau"].iloc[0]) / 300.0))
    axes[0][0].legend(loc="center left")
    return fig


def _first_crossing_log(t, c, level):
    """First time C̄ reaches ``level``, interpolating ln C̄ linearly (exponential growth)."""
    above = np.flatnonzero(c >= level)
    if len(above) == 0 or above[0] == 0:
        return np.inf if len(above) == 0 else float(t[0])
    k = above[0]
    y0, y1 = np.log(max(c[k - 1], 1e-300)), np.log(c[k])
    return float(t[k - 1] + (np.log(level) - y0) * (t[k] - t[k - 1]) / (y1 - y0))


def check_annealing_protocol(df, params, tolerance):
    """Without annealing C̄(300) < 1e-3 and C̄ stays below the escape level (Langevin-hard
    point); with it, C̄(t_max) reaches the Bayes-AMP fixed point (annealing over, T = 1 is
    Bayes-optimal) and, at the paper's protocol (p = 3, Δp = 1, Δ2 = 0.8, C̄(0) = 1e-4,
    c = 100, τ = 70), the escape times t(C̄ = 0.01, 0.1, 0.3) and C̄, μ, e at t = 1000
    agree with the converged reference DMFT (``spiked.dmft_reference``)."""
    want = {0.0} | {float(c) for c in params.get("anneal_c_values", ())}
    have = set(df["anneal_c"].astype(float))
    assert want <= have, f"runs missing for anneal_c = {sorted(want - have)}"
    for c, g in df.groupby("anneal_c"):
        g = g.sort_values("t")
        t, cb = g["t"].to_numpy(), g["cbar"].to_numpy()
        r = g.iloc[-1]
        if c == 0:
            assert g["cbar"].max() < ESCAPE_LEVEL, "without annealing C̄ should stay near 0"
            if t[-1] >= 300:
                assert np.interp(300.0, t, cb) < tolerance["cbar300_max"], \
                    "without annealing C̄(300) should stay below 1e-3"
            continue
        m = bayes_amp_fixed_point(int(r["p"]), r["delta2"], r["delta_p"])
        assert_allclose(r["cbar"], m, atol=tolerance["plateau_atol"],
                        err_msg=f"annealed run (c = {c}) vs Bayes-AMP fixed point")
        paper = (int(r["p"]) == 3 and r["delta_p"] == 1.0 and r["delta2"] == 0.8
                 and r["cbar0"] == 1e-4 and c == ANNEAL_C and r["anneal_tau"] == ANNEAL_TAU)
        if not paper:
            continue
        from .dmft_reference import reference_value

        for lv, rtol in ((0.01, tolerance["t_onset_rtol"]), (0.1, tolerance["t_escape_rtol"]),
                         (0.3, tolerance["t_escape_rtol"])):
            ref, _ = reference_value(f"t_escape_{lv:g}", temperature=1.0, delta2=0.8, kind="anneal")
            assert_allclose(_first_crossing_log(t, cb, lv), ref, rtol=rtol,
                            err_msg=f"annealed escape time t(C̄ = {lv}) vs reference DMFT")
        if t[-1] >= 1000.0:
            for col, q, rtol in (("cbar", "cbar_end", tolerance["end_rtol"]),
                                 ("mu", "mu_end", tolerance["end_rtol"]),
                                 ("energy", "energy_end", tolerance["end_rtol"])):
                ref, _ = reference_value(q, temperature=1.0, delta2=0.8, kind="anneal")
                assert_allclose(np.interp(1000.0, t, g[col].to_numpy()), ref, rtol=rtol,
                                err_msg=f"annealed {col}(t = 1000) vs reference DMFT")


# ----------------------------------------------------------------------------------------
# langevin_vs_simulation
# ----------------------------------------------------------------------------------------
@constrained(_spiked("p", "delta_p", "delta2", "temperature", "cbar0", "t_max",
                     "seed", n_values=ListOf(Int(10)), n_instances=Int(2), dt=Real(gt=0)),
             [Rule(check_dt, "p", "delta2", "delta_p", "temperature", "dt")])
def langevin_vs_simulation(*, p=3, delta_p=1.0, delta2=0.5, temperature=1.0, cbar0=0.2,
                           t_max=20.0, n_values, n_instances, dt=0.01,
                           seed=0) -> pd.DataFrame:
    """DMFT C̄(t), e(t), μ(t) against finite-N spherical Langevin on real instances.

    Columns ``method, p, delta_p, delta2, temperature, cbar0, n, t, cbar, energy, mu`` and,
    for simulation rows (mean over instances), ``cbar_sd, energy_sd, mu_sd, n_instances``.
    The start has overlap exactly C̄(0) (a moderately informative start, so that the sign
    ambiguity of the matrix channel at small N does not split the instances).
    """
    from highdim_dynamics.spiked.finite_n.langevin_simulation import (simulate_langevin,
                                                                      simulation_summary)

    base = dict(p=p, delta_p=delta_p, delta2=delta2, temperature=temperature, cbar0=cbar0)
    from .dmft import solve_dmft

    d = solve_dmft(p, delta2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max,
                   error_estimate=False)
    frames = [pd.DataFrame(dict(base, method="dmft", n=np.nan, t=d["t"], cbar=d["cbar"],
                                energy=d["energy"], mu=d["mu"]))]
    for k, n in enumerate(n_values):
        runs = simulate_langevin(p, delta2, delta_p, n=n, temperature=temperature, cbar0=cbar0,
                                 t_max=t_max, dt=dt, record_dt=0.25, n_instances=n_instances,
                                 seed=int(seed) + 7919 * k, progress=True)
        s = simulation_summary(runs)
        frames.append(pd.DataFrame(dict(base, method="simulation", n=s["n"], t=s["t"],
                                        cbar=s["cbar"], energy=s["energy"], mu=s["mu"],
                                        cbar_sd=s["cbar_sd"], energy_sd=s["energy_sd"],
                                        mu_sd=s["mu_sd"], n_instances=s["n_instances"])))
    return pd.concat(frames, ignore_index=True)


def plot_langevin_vs_simulation(df):
    fig, axes = subplots(2)
    d = df[df["method"] == "dmft"]
    for ax, q, lab in ((axes[0][0], "cbar", r"$\bar{C}(t)$"), (axes[0][1], "energy", r"$e(t)$")):
        ax.plot(d["t"], d[q], color="k", label="DMFT", **method_style("dmft"))
        for k, (n, g) in enumerate(df[df["method"] == "simulation"].groupby("n")):
            se = g[q + "_sd"] / np.sqrt(g["n_instances"])
            ax.errorbar(g["t"], g[q], yerr=se, color=f"C{k}", fmt="o", markersize=2.5,
                        label=eq("N", int(n)) + " (mean ± s.e.)")
            ax.fill_between(g["t"], g[q] - g[q + "_sd"], g[q] + g[q + "_sd"], color=f"C{k}",
                            alpha=0.12, lw=0)
        ax.set(xlabel=sym("t"), ylabel=lab)
    r = df.iloc[0]
    axes[0][0].set_title("Langevin, " + params_text(T=float(r["temperature"]), p=int(r["p"]),
                                                    delta_p=float(r["delta_p"]),
                                                    delta2=float(r["delta2"])))
    axes[0][0].fill_between([], [], [], color="0.5", alpha=0.2, lw=0, label="±1 s.d. over instances")
    figure_legend(fig, axes)
    return fig


def _time_averaged_deviation(g, d, q):
    """Time average over the recorded times of simulation − DMFT (DMFT interpolated in t),
    and a standard error bounding the true one from above (the mean of the per-time
    standard errors: the spread of a time average is at most the average spread)."""
    dev = g[q].to_numpy() - np.interp(g["t"], d["t"], d[q])
    se = (g[q + "_sd"] / np.sqrt(g["n_instances"])).to_numpy()
    return float(dev.mean()), float(se.mean())


def check_langevin_vs_simulation(df, params, tolerance):
    """DMFT (N → ∞) against finite-N simulations at two sizes, for C̄, e and μ.

    For each observable q and size N, D_N = time average of (simulation − DMFT) with its
    standard error s_N (an upper bound, see :func:`_time_averaged_deviation`):

    * simulation rows at every size of ``params["n_values"]`` (at least two), each with
      ``n_instances`` instances;
    * the finite-size bias shrinks with N: |D_N2| ≤ |D_N1| + z s_N1 (N1 < N2);
    * its 1/N extrapolation vanishes: D_∞ = (N2 D_N2 − N1 D_N1)/(N2 − N1) within
      z s_∞ + ``atol_<q>`` (s_∞ the propagated error);
    * at every recorded time of the largest N, simulation − DMFT lies between 0 and the
      signed allowance ``bias_<q>`` (finite-N runs lag the N → ∞ escape: C̄ and μ below,
      e above the DMFT; measured at both sizes, see the table's justification), widened
      by z standard errors.
    """
    records: list = []
    ref = "finite-N Langevin on independent instances (two sizes, mean ± s.e.)"
    d = df[df["method"] == "dmft"].sort_values("t")
    sim = df[df["method"] == "simulation"]
    sizes = sorted(int(n) for n in params["n_values"])
    require(records, "DMFT rows present", int(len(d) == 0), reference_name=ref)
    missing = [n for n in sizes if not (np.isclose(sim["n"], n) & (sim["n_instances"] >= params["n_instances"])).any()]
    require(records, f"simulation rows at N = {sizes}, {params['n_instances']} instances each",
            len(missing) + int(len(sizes) < 2), reference_name=ref, detail=f"missing N = {missing}")
    z = tolerance["z"]
    n1, n2 = sizes[0], sizes[-1]
    g1, g2 = (sim[np.isclose(sim["n"], n)].sort_values("t") for n in (n1, n2))
    for q in ("cbar", "energy", "mu"):
        (d1, s1), (d2, s2) = (_time_averaged_deviation(g, d, q) for g in (g1, g2))
        compare(records, f"{q}: finite-size bias |D_N| shrinks from N = {n1} to {n2} "
                         f"(D = {d1:+.4f} ± {s1:.4f}, {d2:+.4f} ± {s2:.4f})",
                max(abs(d2) - abs(d1), 0.0), 0.0, z * s1, reference_name=ref)
        d_inf = (n2 * d2 - n1 * d1) / (n2 - n1)
        s_inf = np.hypot(n2 * s2, n1 * s1) / (n2 - n1)
        compare(records, f"{q}: 1/N extrapolation of the time-averaged deviation "
                         f"(D_∞ = {d_inf:+.4f} ± {s_inf:.4f})",
                d_inf, 0.0, z * s_inf + tolerance["atol_" + q], reference_name=ref)
        dev = g2[q].to_numpy() - np.interp(g2["t"], d["t"], d[q])
        se = (g2[q + "_sd"] / np.sqrt(g2["n_instances"])).to_numpy()
        bias = tolerance["bias_" + q]  # signed: the side on which finite-N runs lag
        lo, hi = min(bias, 0.0) - z * se, max(bias, 0.0) + z * se
        compare(records, f"{q}: simulation − DMFT within [{min(bias, 0.0):+g}, {max(bias, 0.0):+g}] "
                         f"± {z:g} s.e. at every time, N = {n2}",
                max(float(np.max(np.maximum(dev - hi, lo - dev))), 0.0), 0.0, 1e-12,
                reference_name=ref)  # 1e-12: the t = 0 rows agree to rounding (s.e. 0)
    return records
