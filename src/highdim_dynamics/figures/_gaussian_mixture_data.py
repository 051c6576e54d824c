"""Data helpers shared by the Gaussian-mixture SGD figures (arXiv:2006.06098).

Every figure overlays the sampled DMFT (:func:`highdim_dynamics.gaussian_mixture.dmft.solve_dmft`)
and finite-p simulations (:func:`highdim_dynamics.gaussian_mixture.simulation.simulate`) of
several parameter sets, one ``curve`` each, in one tidy frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.core.validation import (
    Choice,
    Int,
    Real,
    Rule,
    Seed,
    integer,
    positive,
)
from highdim_dynamics.gaussian_mixture.dmft import hinge_dmft, solve_dmft
from highdim_dynamics.gaussian_mixture.model import check_step
from highdim_dynamics.gaussian_mixture.simulation import simulate

#: Domains of the figure parameters shared by the Gaussian-mixture figures.
_GM = dict(
    alpha=Real(gt=0),
    delta=Real(gt=0),
    lam=Real(ge=0),
    eta=Real(gt=0),
    R=Real(ge=0),
    b=Real(gt=0, le=1),
    loss=Choice("logistic", "square", "hinge"),
    t_max=Real(gt=0),
    p=Int(2),
    runs=Int(2),
    n_paths=Int(16),
    L=Real(gt=0),
    m0=Real(ge=0),
    alpha3=Real(gt=0),
    delta3=Real(gt=0),
    seed=Seed(),
)


def gm_constraints(*names, **extra):
    """Constraint table of the named shared parameters, plus ``extra`` ones."""
    return {**{n: _GM[n] for n in names}, **extra}


#: The two-cluster learning rate is checked against the GD stability bound before compute.
STEP = Rule(check_step, "eta", "alpha", "delta", "lam", "loss")
STEP_LAMS = Rule(
    lambda eta, alpha, delta, lam_values, loss: [
        check_step(eta, alpha, delta, lam, loss) for lam in lam_values
    ],
    "eta",
    "alpha",
    "delta",
    "lam_values",
    "loss",
)


OBSERVABLES = ("m", "C", "generalisation_error", "training_loss", "training_error")
#: Columns present in every row (the figure table's contract).
COLUMNS = [
    "method",
    "curve",
    "algorithm",
    "loss",
    "clusters",
    "alpha",
    "delta",
    "lambda",
    "eta",
    "b",
    "tau",
    "R",
    "m0",
    "L",
    "t",
    *OBSERVABLES,
    *(o + "_sem" for o in OBSERVABLES),
]
#: Columns that only simulation rows fill.
OPTIONAL_COLUMNS = ["p", "runs"]
#: Three clusters: the damped iteration over long windows oscillates in the late
#: (overfitting) regime of GD (period-2 residuals at damping 0.5, t = 20).  The DMFT map is
#: causal (kernels at step k depend on kernels before k only), so with common random
#: numbers undamped iteration on short windows converges exactly in at most one iteration
#: per step of the window, usually far fewer: windows of 5 time units, damping 1.
THREE_CLUSTER_WINDOW = 5.0
THREE_CLUSTER_DMFT = dict(damping=1.0, max_iter=80)


def curve_rows(specs, *, p, runs, n_paths, t_max, seed, what, dmft_options=None) -> pd.DataFrame:
    """DMFT (:func:`.dmft.solve_dmft`, hinge: :func:`.dmft.hinge_dmft`) and simulation
    (:func:`.simulation.simulate`) rows of several parameter sets ``specs`` (list of dicts,
    each with its ``curve`` name), in the columns :data:`COLUMNS` + :data:`OPTIONAL_COLUMNS`."""
    p = integer("p", p, minimum=2)
    runs = integer("runs", runs, minimum=2)
    n_paths = integer("n_paths", n_paths, minimum=16)
    t_max = positive("t_max", t_max)
    seeds = spawn_seeds(seed, 2 * len(specs))
    bar = Progress(what, total=len(specs))
    frames = []
    for i, kw in enumerate(specs):
        kw = dict(kw)
        name = kw.pop("curve")
        common = dict(
            alpha=kw["alpha"],
            delta=kw["delta"],
            lam=kw.get("lam", 0.0),
            loss=kw.get("loss", "logistic"),
            clusters=kw.get("clusters", 2),
            L=kw.get("L", 0.7),
            algorithm=kw["algorithm"],
            eta=kw["eta"],
            b=kw.get("b"),
            tau=kw.get("tau"),
            R=kw["R"],
            m0=kw.get("m0", 0.0),
            t_max=t_max,
        )
        options = dict(dmft_options or {})
        if common["clusters"] == 3:
            options = {
                **THREE_CLUSTER_DMFT,
                **options,
                "horizons": list(np.arange(THREE_CLUSTER_WINDOW, t_max, THREE_CLUSTER_WINDOW)),
            }
        if common["loss"] == "hinge":  # smoothed hinge at two sharpnesses, extrapolated
            hinge_common = {k: v for k, v in common.items() if k != "loss"}
            d = hinge_dmft(
                **hinge_common,
                sharpness_values=kw["sharpness_values"],
                n_paths=n_paths,
                seed=int(seeds[2 * i]),
                **options,
            )
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
