"""Benchmarks of the landscape code against their performance targets (prints measured numbers).

Targets: ``gradient_flow_phase_diagram`` with 40 values of Δp per panel in <= 30 s on one
core; projected gradient descent at N = 150, p = 3 well under a second per run; the quick
scale of the five landscape figures <= 2 minutes on 2 cores.

Run: ``python benchmarks/bench_landscape.py [--skip-figures]`` (the first call includes the
numba compilation, reported separately).  Timings depend on the machine load.
"""

from __future__ import annotations

import argparse
import math
import time

import numba
import numpy as np

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.figures.gradient_flow_phase_diagram.data import (
    data as gradient_flow_phase_diagram,
)
from highdim_dynamics.spiked.finite_n.gradient_descent import descend, descent_runs
from highdim_dynamics.spiked.finite_n.instance import draw_instance, energy_and_gradient
from highdim_dynamics.spiked.model import SpikedMatrixTensor


def timed(f, *args, **kwargs):
    t = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t


def cpu_timed(f, *args, **kwargs):
    """(result, wall s, CPU s of this process): CPU time is less sensitive to machine load."""
    t, c = time.perf_counter(), time.process_time()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t, time.process_time() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-figures", action="store_true", help="skip the quick-scale figure timings"
    )
    args = parser.parse_args()

    model = SpikedMatrixTensor(3, 1 / 2.5, 1.0)
    # -- kernels: compile, then time
    _, t_compile = timed(lambda: descend(draw_instance(model, 20, 0), np.ones(20), t_max=1.0))
    print(f"numba compilation (instance + descent kernels): {t_compile:.2f} s")
    inst, t_draw = timed(draw_instance, model, 150, 1)
    print(
        f"draw an instance N=150, p=3 (C(150,3) = {math.comb(150, 3)} couplings): {t_draw * 1e3:.1f} ms"
    )
    x = inst.x_star.copy()
    g = np.empty(150)
    reps = 500
    t = time.perf_counter()
    for _ in range(reps):
        energy_and_gradient(x, inst.matrix_couplings, inst.tensor_couplings, 3, g)
    print(
        f"energy + gradient, N=150, p=3: {(time.perf_counter() - t) / reps * 1e3:.3f} ms per call"
    )

    # -- one gradient-descent run (target: well under 1 s)
    x0 = np.random.default_rng(2).standard_normal(150)
    res, t_run = timed(descend, inst, x0, t_max=200.0, grad_tol=1e-4)
    print(
        f"projected GD N=150, p=3, one run on one thread: {t_run:.3f} s "
        f"({res['steps']} steps, time {res['time']:.1f}, converged={res['converged']}, "
        f"m={inst.overlap(res['x']):.3f})  [target: well under 1 s]"
    )
    res, t_long, c_long = cpu_timed(descend, inst, x0, t_max=200.0, grad_tol=1e-300, equator=True)
    print(
        f"projected GD N=150, worst case (no convergence, full t_max = 200): {t_long:.3f} s wall, "
        f"{c_long:.3f} s CPU ({res['steps']} steps)"
    )
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    _, t_batch = timed(descent_runs, model, 150, list(range(24)), t_max=200.0, grad_tol=1e-4)
    print(
        f"24 GD runs N=150 (instances drawn, Hessian min eigenvalue) on {numba.get_num_threads()} "
        f"threads: {t_batch:.2f} s ({t_batch / 24:.3f} s per run)"
    )

    # -- phase diagram, one core (target: <= 30 s for 40 Δp per panel)
    numba.set_num_threads(1)
    df, t_pd = timed(
        gradient_flow_phase_diagram, p_values=[3, 4], delta_p_min=0.1, delta_p_max=4.0, n_delta_p=40
    )
    print(
        f"gradient_flow_phase_diagram, 2 panels x {df['delta_p'].nunique()} Δp, one core: {t_pd:.2f} s "
        "[target: <= 30 s]"
    )
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)

    if not args.skip_figures:
        table = load_figure_table()
        total = 0.0
        for fid in (
            "gradient_flow_phase_diagram",
            "kac_rice_complexity_vs_overlap",
            "kac_rice_complexity_vs_energy",
            "threshold_hessian_spectrum",
            "spiked_gd_finite_n",
        ):
            spec = table[fid]
            _, t_fig = timed(spec.data_function, **spec.parameters("quick"), seed=0)
            total += t_fig
            print(f"quick data {fid}: {t_fig:.2f} s")
        print(
            f"quick data, five landscape figures: {total:.1f} s on {numba.get_num_threads()} threads "
            "[target: <= 120 s]"
        )


if __name__ == "__main__":
    main()
