"""Figures of the Gaussian-mixture SGD family: data, plot and check functions.

Described in ``workflow/figures/gaussian_mixture_sgd.yaml``; Mignacco, Krzakala, Urbani,
Zdeborová, NeurIPS 2020 (arXiv:2006.06098).  Every figure overlays the sampled DMFT
(:func:`.dmft.solve_dmft`, lines) and finite-p simulations (:func:`.simulation.simulate`,
points with the standard error over runs).  The checks compare the two: they are
independent computations (the DMFT never sees a data matrix), so agreement within the
simulations' error bars is a real test; the one-step GD error is also checked against its
closed form (:func:`.model.hebbian_one_step_error`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import compare
from highdim_dynamics.core.plotting import (eq, figure_legend, method_style, plain_log_ticks,
                                            subplots, sym)
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.core.validation import (Choice, Int, ListOf, Real, Rule, Seed, constrained,
                                              integer, nonnegative, positive, sequence)
from .dmft import hinge_dmft, solve_dmft
from .model import check_step, hebbian_one_step_error
from .simulation import simulate

#: Domains of the figure parameters shared by the Gaussian-mixture figures.
_GM = dict(alpha=Real(gt=0), delta=Real(gt=0), lam=Real(ge=0), eta=Real(gt=0), R=Real(ge=0),
           b=Real(gt=0, le=1), loss=Choice("logistic", "square", "hinge"), t_max=Real(gt=0),
           p=Int(2), runs=Int(2), n_paths=Int(16), L=Real(gt=0), m0=Real(ge=0),
           alpha3=Real(gt=0), delta3=Real(gt=0), seed=Seed())


def _gm(*names, **extra):
    return {**{n: _GM[n] for n in names}, **extra}


#: The two-cluster learning rate is checked against the GD stability bound before compute.
_STEP = Rule(check_step, "eta", "alpha", "delta", "lam", "loss")
_STEP_LAMS = Rule(lambda eta, alpha, delta, lam_values, loss: [
    check_step(eta, alpha, delta, lam, loss) for lam in lam_values],
    "eta", "alpha", "delta", "lam_values", "loss")


OBSERVABLES = ("m", "C", "generalisation_error", "training_loss", "training_error")
#: Columns present in every row (the figure table's contract).
COLUMNS = ["method", "curve", "algorithm", "loss", "clusters", "alpha", "delta", "lambda",
           "eta", "b", "tau", "R", "m0", "L", "t", *OBSERVABLES, *(o + "_sem" for o in OBSERVABLES)]
#: Columns that only simulation rows fill.
OPTIONAL_COLUMNS = ["p", "runs"]
#: Three clusters: the damped iteration over long windows oscillates in the late
#: (overfitting) regime of GD (period-2 residuals at damping 0.5, t = 20).  The DMFT map is
#: causal (kernels at step k depend on kernels before k only), so with common random
#: numbers undamped iteration on short windows converges exactly in at most one iteration
#: per step of the window, usually far fewer: windows of 5 time units, damping 1.
THREE_CLUSTER_WINDOW = 5.0
THREE_CLUSTER_DMFT = dict(damping=1.0, max_iter=80)


def _curves(curves, *, p, runs, n_paths, t_max, seed, what, dmft_options=None) -> pd.DataFrame:
    """DMFT and simulation rows of several parameter sets ``curves`` (list of dicts)."""
    p = integer("p", p, minimum=2)
    runs = integer("runs", runs, minimum=2)
    n_paths = integer("n_paths", n_paths, minimum=16)
    t_max = positive("t_max", t_max)
    seeds = spawn_seeds(seed, 2 * len(curves))
    bar = Progress(what, total=len(curves))
    frames = []
    for i, kw in enumerate(curves):
        kw = dict(kw)
        name = kw.pop("curve")
        common = dict(alpha=kw["alpha"], delta=kw["delta"], lam=kw.get("lam", 0.0),
                      loss=kw.get("loss", "logistic"), clusters=kw.get("clusters", 2),
                      L=kw.get("L", 0.7), algorithm=kw["algorithm"], eta=kw["eta"],
                      b=kw.get("b"), tau=kw.get("tau"), R=kw["R"], m0=kw.get("m0", 0.0),
                      t_max=t_max)
        options = dict(dmft_options or {})
        if common["clusters"] == 3:
            options = {**THREE_CLUSTER_DMFT, **options,
                       "horizons": list(np.arange(THREE_CLUSTER_WINDOW, t_max, THREE_CLUSTER_WINDOW))}
        if common["loss"] == "hinge":  # smoothed hinge at two sharpnesses, extrapolated
            hinge_common = {k: v for k, v in common.items() if k != "loss"}
            d = hinge_dmft(**hinge_common, sharpness_values=kw["sharpness_values"], n_paths=n_paths,
                           seed=int(seeds[2 * i]), **options)
        else:
            d = solve_dmft(**common, n_paths=n_paths, seed=int(seeds[2 * i]), **options)
        d["method"] = "dmft"
        s = simulate(**common, p=p, runs=runs, seed=int(seeds[2 * i + 1]))
        s["method"] = "simulation"
        s["p"] = p
        s["runs"] = runs
        b = 1.0 if common["algorithm"] == "gd" else float(common["b"])
        tau = common["tau"] if common["algorithm"] == "persistent_sgd" else common["eta"] / b
        for df in (d, s):
            df["curve"] = name
            df["algorithm"] = common["algorithm"]
            df["loss"] = common["loss"]
            df["clusters"] = common["clusters"]
            df["alpha"] = float(common["alpha"])
            df["delta"] = float(common["delta"])
            df["lambda"] = float(common["lam"])
            df["eta"] = float(common["eta"])
            df["b"] = b
            df["tau"] = float(tau)
            df["R"] = float(common["R"])
            df["m0"] = float(common["m0"])
            df["L"] = float(common["L"])
            frames.append(df)
        bar.update(note=name)
    out = pd.concat(frames, ignore_index=True)
    return out[COLUMNS + OPTIONAL_COLUMNS]


# ------------------------------------------------------------------------------ checks
SIMULATION_REFERENCE = "finite-p simulations (mean ± s.e. over runs on sampled data matrices)"


def _agreement(df: pd.DataFrame, tolerance: dict, observables=OBSERVABLES) -> list:
    """DMFT and simulation agree within the error bars on every plotted observable.

    For every curve, time and observable (m, C, generalisation error, training loss,
    training error): ``|dmft - sim| <= z_max * sqrt(sem_sim^2 + sem_dmft^2) + atol``.
    ``z_max`` covers the Monte-Carlo errors (the maximum over a few hundred strongly
    correlated times); ``atol`` the O(1/p) finite-size bias of the simulations (measured,
    see the figure table's justification).  ``t_min`` skips the first steps if asked.
    One record per (curve, observable): the largest excess of |dmft − sim| over
    ``z_max`` combined standard errors, against the tolerance ``atol``.
    """
    z_max = float(tolerance["z_max"])
    atol = float(tolerance.get("atol", 0.0))
    t_min = float(tolerance.get("t_min", 0.0))
    sim = df[df.method == "simulation"]
    dm = df[df.method == "dmft"]
    assert len(sim) and len(dm), "the figure needs both dmft and simulation rows"
    records: list = []
    for curve in dict.fromkeys(dm.curve):
        assert (sim.curve == curve).any(), f"curve {curve!r} has no simulation rows"
    for curve, s in sim.groupby("curve", sort=False):
        d = dm[dm.curve == curve]
        assert len(d), f"curve {curve!r} has no dmft rows"
        j = s.merge(d, on="t", suffixes=("_s", "_d"))
        j = j[j.t >= t_min - 1e-12]
        assert len(j) >= 2, f"curve {curve!r}: dmft and simulation share no times"
        for o in observables:
            diff = np.abs(j[o + "_d"] - j[o + "_s"]).to_numpy()
            err = np.hypot(j[o + "_sem_s"], j[o + "_sem_d"]).to_numpy()
            excess = diff - z_max * err
            k = int(np.argmax(excess))
            compare(records, f"{o} of {curve}: |DMFT − simulation| − {z_max:g} s.e. "
                             f"(worst t = {j.t.iloc[k]:g}: DMFT {j[o + '_d'].iloc[k]:.5f}, "
                             f"simulation {j[o + '_s'].iloc[k]:.5f} ± {j[o + '_sem_s'].iloc[k]:.5f})",
                    max(float(excess[k]), 0.0), 0.0, atol, reference_name=SIMULATION_REFERENCE)
    return records


def _one_step(df: pd.DataFrame, tolerance: dict) -> None:
    """One GD step from w = 0: eps = erfc(sqrt(alpha/(2 Delta (alpha + Delta))))/2."""
    rows = df[(df.R == 0.0) & (df.algorithm == "gd") & (df.clusters == 2)]
    assert len(rows), "no GD curve from R = 0"
    for method, tol in (("dmft", float(tolerance["dmft_atol"])),
                        ("simulation", None)):
        r = rows[rows.method == method]
        r1 = r[np.isclose(r.t, r.eta)]
        assert len(r1) == 1, f"{method}: expected one row at t = eta"
        ref = hebbian_one_step_error(float(r1.alpha.iloc[0]), float(r1.delta.iloc[0]))
        got = float(r1.generalisation_error.iloc[0])
        if tol is None:
            tol = (float(tolerance["z_max"]) * float(r1.generalisation_error_sem.iloc[0])
                   + float(tolerance.get("atol", 0.0)))
        assert abs(got - ref) <= tol, (f"{method}: one-step error {got:.6f} vs closed form "
                                       f"{ref:.6f} (tolerance {tol:.2g})")


# --------------------------------------------------------------------------- plotting
_CURVE_SYMBOLS = {"b": "b", "τ": "tau", "λ": "lambda", "R": "R"}


def curve_label(curve: str) -> str:
    r"""Legend text of a ``curve`` name of the CSV, with the package's mathtext symbols.

    Examples
    --------
    >>> curve_label("p-SGD τ=2")
    'persistent SGD, $\\tau = 2$'
    >>> curve_label("2 clusters λ=0.1")
    '2 clusters, $\\lambda = 0.1$'
    """
    name = curve.replace("p-SGD", "persistent SGD")

    def one(match):
        return ", " + eq(_CURVE_SYMBOLS.get(match[1], match[1]), match[2])

    return re.sub(r"\s*(\S+)=(\S+)", one, name).lstrip(", ")


def _zoom_after_first_steps(ax, df: pd.DataFrame, col: str) -> None:
    """y range of the t >= 1 values: the t = 0 error (1/2) would flatten the curves."""
    late = df[df.t >= 1.0][col]
    if len(late):
        ax.set_ylim(max(0.0, late.min() - 0.1 * (late.max() - late.min()) - 0.005),
                    late.max() + 0.15 * (late.max() - late.min()) + 0.005)


def _plot_curves(df: pd.DataFrame, panels, *, logx=False, reference=None, excess=()):
    """One panel per (column, label) of ``panels``; columns in ``excess`` are drawn minus the
    first curve of the same method (differences smaller than the curves' common decay; the
    simulations' error bars combine both curves' independent standard errors)."""
    fig, axes = subplots(len(panels), 1, width=3.6, height=3.0)
    curves = list(dict.fromkeys(df.curve))
    colours = {c: f"C{i}" for i, c in enumerate(curves)}
    first = {m: g.sort_values("t") for m, g in df[df.curve == curves[0]].groupby("method")}
    for ax, (col, label) in zip(axes[0], panels):
        for c in curves:
            d = df[(df.curve == c) & (df.method == "dmft")].sort_values("t")
            s = df[(df.curve == c) & (df.method == "simulation")].sort_values("t")
            if logx:
                d, s = d[d.t > 0], s[s.t > 0]
            if col in excess:
                d, s = (g.assign(**{col: g[col] - np.interp(g.t, first[m].t, first[m][col]),
                                    col + "_sem": np.hypot(g[col + "_sem"], np.interp(
                                        g.t, first[m].t, first[m][col + "_sem"]))})
                        for g, m in ((d, "dmft"), (s, "simulation")))
                if c == curves[0]:
                    s = s.iloc[:0]  # identically zero: no points
            ax.plot(d.t, d[col], color=colours[c], label=curve_label(c), **method_style("dmft"))
            if len(s):
                idx = np.unique(np.geomspace(1, len(s), 25).astype(int) - 1) if logx else \
                    np.unique(np.linspace(0, len(s) - 1, 25).astype(int))
                s = s.iloc[idx]
                st = method_style("simulation")
                ax.errorbar(s.t, s[col], yerr=s[col + "_sem"], color=colours[c],
                            linestyle="none", marker=st["marker"], markersize=st["markersize"],
                            markerfacecolor="none")
        if reference is not None and col == "generalisation_error":
            ax.axhline(reference[0], color="k", linestyle=":", linewidth=1, label=reference[1])
        if logx:
            ax.set_xscale("log")
            plain_log_ticks(ax.xaxis)
        elif col in ("training_error", "generalisation_error"):
            _zoom_after_first_steps(ax, df, col)
        ax.set_xlabel(sym("t"))
        ax.set_ylabel(label)
    figure_legend(fig, axes, title="lines: DMFT, points: simulation", title_fontsize="small")
    return fig


PANELS = [("training_loss", "training loss"), ("training_error", "training error"),
          ("generalisation_error", "generalisation error")]


# ----------------------------------------------------------- sgd_two_clusters_persistence
@constrained(_gm("alpha", "delta", "lam", "eta", "R", "b", "loss", "t_max", "p", "runs", "n_paths",
                 "seed",
                 tau_values=ListOf(Real(gt=0))), [_STEP])
def sgd_two_clusters_persistence(*, alpha=2.0, delta=0.5, lam=0.0, eta=0.2, R=0.01, b=0.3,
                                 tau_values=(1.0, 2.0, 4.0), loss="logistic", t_max=50.0,
                                 p=1000, runs=10, n_paths=4000, seed=0) -> pd.DataFrame:
    """SGD (batch fraction b) and persistent SGD (same b, several tau) on 2 clusters.

    Paper Fig. 2 (left/centre; arXiv:2006.06098): persistent SGD approaches SGD as tau
    decreases towards ``eta/b`` (where it *is* SGD).
    """
    base = dict(alpha=alpha, delta=delta, lam=lam, eta=eta, R=R, loss=loss, b=b)
    curves = [dict(base, algorithm="sgd", curve=f"SGD b={b:g}")]
    curves += [dict(base, algorithm="persistent_sgd", tau=t, curve=f"p-SGD τ={t:g}")
               for t in tau_values]
    return _curves(curves, p=p, runs=runs, n_paths=n_paths, t_max=t_max, seed=seed,
                   what="sgd_two_clusters_persistence")


def plot_sgd_two_clusters_persistence(df):
    """Training loss (minus SGD's: the curves share their decay), training error and
    generalisation error vs t (lines DMFT, points simulation)."""
    first = curve_label(next(iter(dict.fromkeys(df.curve))))
    panels = [("training_loss", f"training loss − that of {first}"), *PANELS[1:]]
    if first.startswith("SGD, "):
        panels[0] = ("training_loss", "training loss − that of SGD")
    return _plot_curves(df, panels, excess=("training_loss",))


def check_sgd_two_clusters_persistence(df, params, tolerance):
    """DMFT vs finite-p simulations on every plotted observable, see :func:`_agreement`."""
    return _agreement(df, tolerance)


# ---------------------------------------------------------- gd_two_clusters_init_variance
@constrained(_gm("alpha", "delta", "lam", "eta", "loss", "t_max", "p", "runs", "n_paths", "seed",
                 R_values=ListOf(Real(ge=0))), [_STEP])
def gd_two_clusters_init_variance(*, alpha=2.0, delta=0.5, lam=0.0, eta=0.2,
                                  R_values=(0.0, 0.01, 0.1, 1.0), loss="logistic", t_max=20.0,
                                  p=1000, runs=10, n_paths=4000, seed=0) -> pd.DataFrame:
    """Full-batch GD (b = 1) on 2 clusters from several initial variances R.

    Paper Fig. 1 (arXiv:2006.06098): from R = 0 the first step is the Hebbian,
    Bayes-optimal classifier; later steps (and every R > 0) do worse.
    """
    R_values = sequence("R_values", R_values, nonnegative)
    curves = [dict(alpha=alpha, delta=delta, lam=lam, eta=eta, R=r, loss=loss, algorithm="gd",
                   curve=f"R={r:g}") for r in R_values]
    return _curves(curves, p=p, runs=runs, n_paths=n_paths, t_max=t_max, seed=seed,
                   what="gd_two_clusters_init_variance")


def plot_gd_two_clusters_init_variance(df):
    """Training loss and generalisation error vs t (log scale), Bayes-optimal error dotted."""
    ref = hebbian_one_step_error(float(df.alpha.iloc[0]), float(df.delta.iloc[0]))
    return _plot_curves(df, [PANELS[0], PANELS[2]], logx=True,
                        reference=(ref, "Bayes-optimal (one step from $R = 0$)"))


def check_gd_two_clusters_init_variance(df, params, tolerance):
    """One-step closed form (DMFT and simulation), Bayes-optimal bound, DMFT vs simulation."""
    _one_step(df, tolerance)
    ref = hebbian_one_step_error(float(df.alpha.iloc[0]), float(df.delta.iloc[0]))
    d = df[df.method == "dmft"]
    worst = float(d.generalisation_error.min())
    # No classifier beats the Bayes-optimal error (up to the DMFT's Monte-Carlo error).
    assert worst >= ref - float(tolerance["dmft_mc_atol"]), (
        f"a DMFT curve goes below the Bayes-optimal error: {worst:.5f} < {ref:.5f}")
    # C is left out: at R = 1 the runs' initial norm is off by 2 s.e. and full-batch GD
    # carries the offset along (see the figure table's justification)
    return _agreement(df, tolerance, observables=("m", "generalisation_error", "training_loss",
                                                  "training_error"))


# ------------------------------------------------------------------ sgd_three_clusters_batch
@constrained(_gm("alpha", "delta", "L", "lam", "eta", "R", "m0", "loss", "t_max", "p", "runs",
                 "n_paths", "seed", b_values=ListOf(Real(gt=0, le=1))))
def sgd_three_clusters_batch(*, alpha=3.0, delta=0.05, L=0.7, lam=0.0, eta=0.2, R=0.01, m0=0.1,
                             b_values=(0.1, 0.3, 1.0), loss="logistic", t_max=20.0, p=1000,
                             runs=10, n_paths=4000, seed=0) -> pd.DataFrame:
    """SGD on 3 clusters for several batch fractions b (b = 1 is GD).

    Paper Fig. 3 (arXiv:2006.06098).  ``m = 0`` is invariant for 3 clusters: DMFT and
    simulations both start from ``w(0) = m0 v* + sqrt(R) z``.
    """
    curves = [dict(alpha=alpha, delta=delta, L=L, lam=lam, eta=eta, R=R, m0=m0, loss=loss,
                   clusters=3, algorithm="gd" if bb == 1.0 else "sgd", b=bb,
                   curve="GD" if bb == 1.0 else f"SGD b={bb:g}") for bb in b_values]
    return _curves(curves, p=p, runs=runs, n_paths=n_paths, t_max=t_max, seed=seed,
                   what="sgd_three_clusters_batch")


def plot_sgd_three_clusters_batch(df):
    """Training loss, training error and generalisation error vs t for each batch fraction."""
    return _plot_curves(df, PANELS)


def check_sgd_three_clusters_batch(df, params, tolerance):
    """DMFT vs finite-p simulations on every plotted observable, see :func:`_agreement`."""
    return _agreement(df, tolerance)


# ------------------------------------------------------------------------ sgd_regularisation
@constrained(_gm("eta", "b", "R", "alpha", "delta", "alpha3", "delta3", "L", "m0", "loss",
                 "t_max", "p", "runs", "n_paths", "seed", lam_values=ListOf(Real(ge=0)),
                 hinge_lam_values=ListOf(Real(ge=0)), hinge_sharpness=ListOf(Real(gt=0))),
             [_STEP_LAMS])
def sgd_regularisation(*, lam_values=(0.0, 0.1, 0.3), eta=0.2, b=0.3, R=0.01,
                       alpha=2.0, delta=0.5, alpha3=3.0, delta3=0.05, L=0.7, m0=0.1,
                       loss="logistic", t_max=20.0, p=1000, runs=10, n_paths=4000,
                       hinge_lam_values=(0.1,), hinge_sharpness=(16.0, 32.0),
                       seed=0) -> pd.DataFrame:
    """SGD (batch fraction b) with ridge penalty lambda, on 2 clusters and on 3 clusters.

    Paper Fig. 4 / App. (arXiv:2006.06098): effect of lambda on the generalisation error.
    Two-cluster curves with the hinge loss at ``hinge_lam_values`` (``loss = hinge``):
    simulations with the hinge itself, DMFT of the smoothed hinge at the two sharpnesses
    ``hinge_sharpness`` extrapolated to the hinge (:func:`.dmft.hinge_dmft`).
    """
    curves = [dict(alpha=alpha, delta=delta, lam=lv, eta=eta, R=R, b=b, loss=loss,
                   algorithm="sgd", curve=f"2 clusters λ={lv:g}") for lv in lam_values]
    curves += [dict(alpha=alpha, delta=delta, lam=lv, eta=eta, R=R, b=b, loss="hinge",
                    sharpness_values=list(hinge_sharpness), algorithm="sgd",
                    curve=f"2 clusters λ={lv:g} hinge") for lv in hinge_lam_values]
    curves += [dict(alpha=alpha3, delta=delta3, L=L, m0=m0, clusters=3, lam=lv, eta=eta, R=R,
                    b=b, loss=loss, algorithm="sgd", curve=f"3 clusters λ={lv:g}")
               for lv in lam_values]
    return _curves(curves, p=p, runs=runs, n_paths=n_paths, t_max=t_max, seed=seed,
                   what="sgd_regularisation")


def plot_sgd_regularisation(df):
    """Generalisation error vs t for each lambda: two clusters (left), three clusters (right)."""
    fig, axes = subplots(2, 1, width=3.8, height=3.0)
    for ax, k in zip(axes[0], (2, 3)):
        sub = df[df.clusters == k]
        curves = list(dict.fromkeys(sub.curve))
        for i, c in enumerate(curves):
            d = sub[(sub.curve == c) & (sub.method == "dmft")].sort_values("t")
            s = sub[(sub.curve == c) & (sub.method == "simulation")].sort_values("t")
            ax.plot(d.t, d.generalisation_error, color=f"C{i}", label=curve_label(c.split(" ", 2)[-1]),
                    **method_style("dmft"))
            s = s.iloc[np.unique(np.linspace(0, len(s) - 1, 25).astype(int))]
            ax.errorbar(s.t, s.generalisation_error, yerr=s.generalisation_error_sem,
                        color=f"C{i}", linestyle="none", marker="o", markersize=3.5,
                        markerfacecolor="none")
        if k == 2:
            _zoom_after_first_steps(ax, sub, "generalisation_error")
        ax.set_title(f"{k} clusters")
        ax.set_xlabel(sym("t"))
        ax.set_ylabel("generalisation error")
        ax.legend(fontsize="small")
    return fig


def check_sgd_regularisation(df, params, tolerance):
    """DMFT vs finite-p simulations on every plotted observable, see :func:`_agreement`."""
    return _agreement(df, tolerance)
