"""The reference cases of the spiked-model DMFT, their refinement ladder and its combination.

Model: p = 3, Δp = 1 (Sarao Mannelli et al., PRX 2020 / NeurIPS 2019).  Quantities:

* ``escape``: first time C̄ reaches 0.1, 0.3, 0.5 from C̄(0) = 1e-4 (T = 1 and T = 0);
* ``growth``: the linear-regime growth rate λ(t) = d ln C̄/dt at t = 300, 500, 1000, 2000
  from C̄(0) = 1e-200 (T = 1);
* ``plateau``: C̄, μ and the energy at the end of a run that has reached its fixed point;
* ``anneal``: T = 1, Δ2 = 0.8 with the paper's annealing schedule (:mod:`.anneal`):
  first times C̄ reaches 0.01, 0.1, 0.3 and C̄, μ, energy at t = 1000.

Every quantity X is computed on a ladder of steps h and memory resolutions B of the
reference solver and combined (:func:`combine`) as

    X = R_h(B0) + [X_B(∞) − X(h_B, B0)],

R_h(B0) the Richardson extrapolation (order 2) in h at B0 (32; 16 for the growth rates) from the two finest steps
of the case's ladder, and X_B(∞) the extrapolation (order 2 in 1/B) from the two largest
B at the step h_B.  This assumes the step and memory errors add (checked: the change from
B0 to 2 B0 at a second step is compared with that at h_B).  The uncertainty is the sum of
three terms: the change of the h-extrapolation when the next coarser pair of steps is
used, the change of the B-extrapolation when the next smaller pair of B is used, and the
difference of the B-changes at the two steps (the whole B-correction when that check has
not been run).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd

P = 3
DELTA_P = 1.0
ESCAPE_CBAR0 = 1e-4
LINEAR_CBAR0 = 1e-200
ESCAPE_LEVELS = (0.1, 0.3, 0.5)
ANNEAL_LEVELS = (0.01, 0.1, 0.3)
GROWTH_TIMES = (300.0, 500.0, 1000.0, 2000.0)
B0 = 32


def _case(
    kind, temperature, delta2, t_max, h_ladder, b_ladder=(), h_b=None, h_sep=None, late=(), b0=B0
):
    """One case: steps ``h_ladder`` at ``b0``, memory ladder ``b_ladder`` at step ``h_b``,
    the separability check (B = 2 b0 at ``h_sep``); ``late``: (h, B) runs queued last."""
    return dict(
        kind=kind,
        temperature=float(temperature),
        delta2=float(delta2),
        t_max=float(t_max),
        h_ladder=tuple(h_ladder),
        b_ladder=tuple(b_ladder),
        h_b=h_b,
        h_sep=h_sep,
        late=tuple(late),
        b0=int(b0),
    )


_H_T1 = (0.1, 0.05, 0.025)
_B_LADDER = (16, 32, 64, 128)
#: The cases.  Escape runs stop once C̄ > 0.55.  At Δ2 = 0.7 a step of 0.1 does not
#: escape by t = 2000 (its O(h²) error delays the escape by more than 30%), hence the finer
#: ladder there.
CASES = (
    _case(
        "escape",
        1.0,
        0.7,
        3000.0,
        (0.05, 0.025, 0.0125),
        (16, 32),
        h_b=0.025,
        b0=16,
        late=((0.05, 32), (0.05, 64)),
    ),
    _case(
        "escape",
        1.0,
        0.6,
        600.0,
        _H_T1 + (0.0125,),
        _B_LADDER,
        h_b=0.05,
        h_sep=0.025,
        late=((0.0125, B0),),
    ),
    _case(
        "escape",
        1.0,
        0.5,
        300.0,
        _H_T1 + (0.0125,),
        _B_LADDER,
        h_b=0.05,
        h_sep=0.025,
        late=((0.0125, B0),),
    ),
    _case(
        "escape",
        0.0,
        1 / 2.2,
        1000.0,
        _H_T1 + (0.0125,),
        _B_LADDER,
        h_b=0.05,
        h_sep=0.025,
        late=((0.0125, B0),),
    ),
    _case(
        "escape",
        0.0,
        1 / 2.5,
        1000.0,
        _H_T1 + (0.0125,),
        _B_LADDER,
        h_b=0.05,
        h_sep=0.025,
        late=((0.0125, B0),),
    ),
    _case(
        "escape",
        0.0,
        1 / 3.0,
        1000.0,
        _H_T1 + (0.0125,),
        _B_LADDER,
        h_b=0.05,
        h_sep=0.025,
        late=((0.0125, B0),),
    ),
    _case("plateau", 1.0, 0.5, 400.0, _H_T1 + (0.0125,), late=((0.0125, B0),)),
    _case("plateau", 0.0, 1 / 2.5, 300.0, _H_T1 + (0.0125,), late=((0.0125, B0),)),
    _case("plateau", 0.0, 1 / 3.0, 300.0, _H_T1 + (0.0125,), late=((0.0125, B0),)),
    _case(
        "escape", 1.0, 0.65, 2000.0, _H_T1, (16, 32, 64), h_b=0.05, h_sep=0.025, late=((0.05, 128),)
    ),
    _case("escape", 0.0, 1 / 2.0, 2000.0, _H_T1, (16, 32, 64), h_b=0.05, h_sep=0.025),
    _case(
        "anneal",
        1.0,
        0.8,
        1000.0,
        (0.05, 0.025, 0.0125),
        (16, 32),
        h_b=0.05,
        b0=16,
        late=((0.0125, 16),),
    ),
    _case(
        "growth", 1.0, 0.6, 2001.0, _H_T1, (16, 32), h_b=0.1, h_sep=0.05, b0=16, late=((0.1, 64),)
    ),
    _case(
        "growth", 1.0, 0.7, 2001.0, _H_T1, (16, 32), h_b=0.1, h_sep=0.05, b0=16, late=((0.1, 64),)
    ),
    _case(
        "growth", 1.0, 0.65, 2001.0, _H_T1, (16, 32), h_b=0.1, h_sep=0.05, b0=16, late=((0.1, 64),)
    ),
    _case(
        "growth", 1.0, 0.75, 2001.0, _H_T1, (16, 32), h_b=0.1, h_sep=0.05, b0=16, late=((0.1, 64),)
    ),
)
KINDS = {c["kind"] for c in CASES}


def find_case(kind, temperature, delta2):
    for c in CASES:
        if (
            c["kind"] == kind
            and np.isclose(c["temperature"], temperature)
            and np.isclose(c["delta2"], delta2, rtol=1e-9, atol=0.0)
        ):
            return c
    raise KeyError((kind, temperature, delta2))


def ladder():
    """Run specifications (dicts) of every case, the ``late`` runs of all cases last."""
    first, last = [], []
    for c in CASES:
        pts = [(h, c["b0"]) for h in c["h_ladder"]]
        pts += [(c["h_b"], b) for b in c["b_ladder"]]
        if c["h_sep"] is not None:
            pts += [(c["h_sep"], 2 * c["b0"])]
        seen = set()
        for h, b in pts + list(c["late"]):
            if (h, b) in seen:
                continue
            seen.add((h, b))
            spec = dict(
                kind=c["kind"],
                temperature=c["temperature"],
                delta2=c["delta2"],
                t_max=c["t_max"],
                h=h,
                B=b,
            )
            (last if (h, b) in c["late"] else first).append(spec)
    return first + last


def run_key(spec) -> str:
    return (
        f"{spec['kind']}:T={float(spec['temperature']):g}:d2={float(spec['delta2']):.6g}:"
        f"h={float(spec['h']):g}:B={int(spec['B'])}:tmax={float(spec['t_max']):g}"
    )


def plateau(temperature, delta2) -> float:
    """C̄ of the fixed point the escaped dynamics reaches: Bayes-AMP (T = 1), ML-AMP (T = 0)."""
    from highdim_dynamics.spiked.model import ml_amp_fixed_point
    from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

    if temperature == 0.0:
        return ml_amp_fixed_point(P, delta2, DELTA_P)[0]
    return bayes_amp_fixed_point(P, delta2, DELTA_P)


def escape_levels(temperature, delta2) -> tuple:
    """The levels of :data:`ESCAPE_LEVELS` below 0.95 of the plateau (a level close to the
    plateau is reached only on its slow final approach: t(0.5) at Δ2 = 0.65, whose
    plateau is 0.512, is left out; at Δ2 = 0.7 the plateau is 0.475)."""
    m = plateau(temperature, delta2)
    return tuple(lv for lv in ESCAPE_LEVELS if lv < 0.95 * m)


def run(spec) -> list[dict]:
    """Run one specification; rows ``quantity, value`` (plus the spec and ``cpu_s``)."""
    from highdim_dynamics.core.numerics import crossing_time

    from . import multiresolution_dmft
    from .anneal import AUTHORS_SCHEDULE

    kind = spec["kind"]
    cbar0 = LINEAR_CBAR0 if kind == "growth" else ESCAPE_CBAR0
    levels = escape_levels(spec["temperature"], spec["delta2"])
    stop = (
        min(0.55, levels[-1] + 0.5 * (plateau(spec["temperature"], spec["delta2"]) - levels[-1]))
        if kind == "escape"
        else None
    )
    anneal = AUTHORS_SCHEDULE if kind == "anneal" else None
    t0 = time.process_time()
    df = multiresolution_dmft(
        P,
        spec["delta2"],
        DELTA_P,
        temperature=spec["temperature"],
        cbar0=cbar0,
        t_max=spec["t_max"],
        h=spec["h"],
        points_per_octave=spec["B"],
        cbar_stop=stop,
        anneal=anneal,
    )
    cpu = time.process_time() - t0
    vals = {}
    if kind == "escape":
        for lv in levels:
            vals[f"t_escape_{lv:g}"] = crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), lv)
    elif kind == "anneal":
        for lv in ANNEAL_LEVELS:
            vals[f"t_escape_{lv:g}"] = crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), lv)
    if kind in ("plateau", "anneal"):
        vals["cbar_end"] = float(df["cbar"].iloc[-1])
        vals["mu_end"] = float(df["mu"].iloc[-1])
        vals["energy_end"] = float(df["energy"].iloc[-1])
    elif kind == "growth":
        t = df["t"].to_numpy()
        lam = np.gradient(np.log(df["cbar"].to_numpy()), t)
        for tg in GROWTH_TIMES:
            vals[f"growth_rate_{tg:g}"] = float(np.interp(tg, t, lam))
    return [dict(spec, quantity=q, value=v, cpu_s=cpu) for q, v in vals.items()]


FIELDS = ("kind", "temperature", "delta2", "t_max", "h", "B", "quantity", "value", "cpu_s")


def append_run(path: Path, rows: list[dict]) -> None:
    new = not Path(path).exists()
    with open(path, "a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        if new:
            w.writeheader()
        for r in rows:
            w.writerow(
                {k: (repr(float(r[k])) if k in ("value", "delta2") else r[k]) for k in FIELDS}
            )


def read_runs(path: Path) -> pd.DataFrame:
    return pd.read_csv(path) if Path(path).exists() else pd.DataFrame(columns=FIELDS)


def done_keys(path: Path) -> set:
    runs = read_runs(path)
    return {run_key(r) for r in runs.to_dict("records")}


def _richardson(coarse, fine, ratio):
    from highdim_dynamics.core.numerics import richardson

    return float(richardson(coarse, fine, ratio))


def _combine_one(g: pd.DataFrame, case: dict) -> dict:
    """Combine the ladder of one (kind, T, Δ2, quantity) (module docstring)."""
    g = g[np.isclose(g["t_max"], case["t_max"])]  # runs of an earlier, shorter ladder
    val = {(float(r.h), int(r.B)): float(r.value) for r in g.itertuples()}
    b0 = case["b0"]
    out = {f"raw_h{h:g}_B{b}": v for (h, b), v in sorted(val.items())}
    hs = [h for h in case["h_ladder"] if (h, b0) in val]
    if len(hs) < 2 or not all(np.isfinite(val[(h, b0)]) for h in hs):
        return out
    xs = [val[(h, b0)] for h in hs]
    r_h = _richardson(xs[-2], xs[-1], hs[-2] / hs[-1])
    err_h = abs(r_h - xs[-1])  # with two steps: the size of the correction
    if len(hs) >= 3:
        err_h = abs(r_h - _richardson(xs[-3], xs[-2], hs[-3] / hs[-2]))
        d1, d2 = xs[-3] - xs[-2], xs[-2] - xs[-1]
        out["order_h"] = float(np.log(d1 / d2) / np.log(hs[-3] / hs[-2])) if d1 * d2 > 0 else np.nan
    out.update(richardson_h=r_h, err_h=err_h)
    d_b, err_b, sep = 0.0, 0.0, 0.0
    if case["b_ladder"]:
        hb = case["h_b"]
        bs = [b for b in case["b_ladder"] if (hb, b) in val and np.isfinite(val[(hb, b)])]
        if len(bs) < 2 or bs[-1] < b0 or (hb, b0) not in val:
            out.update(correction_B=np.nan, err_B=np.nan)
            return out
        vb = [val[(hb, b)] for b in bs]
        x_inf = _richardson(vb[-2], vb[-1], bs[-1] / bs[-2])
        d_b = x_inf - val[(hb, b0)]
        err_b = abs(x_inf - vb[-1])  # two B values: the size of the extrapolation
        if len(bs) >= 3:
            err_b = abs(x_inf - _richardson(vb[-3], vb[-2], bs[-2] / bs[-3]))
            e1, e2 = vb[-3] - vb[-2], vb[-2] - vb[-1]
            out["order_B"] = (
                float(np.log(e1 / e2) / np.log(bs[-2] / bs[-3])) if e1 * e2 > 0 else np.nan
            )
        hsp = case["h_sep"]
        if hsp is not None:
            keys = [(hsp, 2 * b0), (hsp, b0), (hb, 2 * b0), (hb, b0)]
            if all(k in val for k in keys):
                sep = abs((val[keys[0]] - val[keys[1]]) - (val[keys[2]] - val[keys[3]]))
            else:  # not run: charge the whole B-correction
                sep = abs(d_b)
    out.update(
        correction_B=d_b,
        err_B=err_b,
        err_separability=sep,
        value=r_h + d_b,
        uncertainty=err_h + err_b + sep,
    )
    return out


def combine(runs: pd.DataFrame) -> pd.DataFrame:
    """The converged table: one row per (kind, T, Δ2, quantity); see the module docstring.

    Columns ``kind, temperature, delta2, inv_delta2, quantity, value, uncertainty`` then the
    parts of the error budget (``err_h, err_B, err_separability``, observed orders) and
    the raw ladder ``raw_h{h}_B{B}``.  Rows whose ladder is incomplete have NaN value.
    """
    if runs.empty:
        return pd.DataFrame(
            columns=["kind", "temperature", "delta2", "quantity", "value", "uncertainty"]
        )
    rows = []
    for (kind, temp, d2, q), g in runs.groupby(
        ["kind", "temperature", "delta2", "quantity"], sort=False
    ):
        r = dict(
            kind=kind,
            temperature=float(temp),
            delta2=float(d2),
            inv_delta2=round(1.0 / float(d2), 6),
            quantity=q,
            value=np.nan,
            uncertainty=np.nan,
        )
        r.update(_combine_one(g, find_case(kind, temp, d2)))
        rows.append(r)
    table = pd.DataFrame(rows)
    head = ["kind", "temperature", "delta2", "inv_delta2", "quantity", "value", "uncertainty"]
    rest = [c for c in table.columns if c not in head and not c.startswith("raw_")]
    raw = sorted(c for c in table.columns if c.startswith("raw_"))
    return table[head + rest + raw]
