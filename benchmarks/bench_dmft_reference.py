"""Error-controlled reference escape time from the uniform-grid DMFT, and the adaptive solver.

T = 1, p = 3, Δp = 1, Δ2 = 0.5, C̄(0) = 1e-4, escape = first C̄ = 0.3 (linear
interpolation).  Runs :func:`uniform_grid_dmft` with h = 0.1, 0.05, 0.025 (and 0.0125
with ``--fine``: about 20 CPU-minutes and 1 GB), prints the escape times, the observed
order and the Richardson extrapolation with its error, then the adaptive solver's escape
times for several windows.  Measured (2026-11-29): 83.143 / 76.622 / 75.211 / 74.877,
order 2.2 then 2.08, extrapolated 74.77 ± 0.03; adaptive 74.38 / 74.68 / 74.80
(n_window 128 / 256 / 512).

Run: ``python benchmarks/bench_dmft_reference.py [--fine]``.
"""

import sys
import time

from highdim_dynamics.core.numerics import crossing_time, richardson_extrapolation
from highdim_dynamics.spiked.dmft_reference.uniform_grid import uniform_grid_dmft

if __name__ == "__main__":
    steps = [0.1, 0.05, 0.025] + ([0.0125] if "--fine" in sys.argv else [])
    times = []
    for h in steps:
        c0 = time.process_time()
        df = uniform_grid_dmft(
            3, 0.5, 1.0, temperature=1.0, cbar0=1e-4, t_max=120.0, h=h, cbar_stop=0.35
        )
        times.append(crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), 0.3))
        print(
            f"uniform h={h:<7g} t_esc={times[-1]:9.4f} cpu={time.process_time() - c0:7.1f}s",
            flush=True,
        )
    r = richardson_extrapolation(times, steps)
    print(
        f"Richardson: t_esc = {r['extrapolated']:.4f} ± {r['error']:.4f} "
        f"(observed order {r['observed_order']:.2f})"
    )
