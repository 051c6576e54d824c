"""Benchmark of the planted 2+p DMFT solver (target: t = 2000 in <= 6 s on one core,
memory <= 150 MB, at p = 3, Δp = 1, Δ2 = 0.6, T = 1).

Run: ``python benchmarks/bench_langevin_dmft.py``.  Prints wall and CPU time (after a
warm-up call that compiles or loads the numba kernels), the peak of the arrays allocated
by the solver (tracemalloc) and the process's peak resident memory (includes the Python
interpreter, numpy and numba themselves), and the escape time, as an accuracy reference
between window sizes.  The kernels are serial: one core.
"""

import resource
import time
import tracemalloc

from highdim_dynamics.spiked.dmft_thresholds import escape_time
from highdim_dynamics.spiked.langevin_dmft import langevin_dmft


def run(n_window, temperature=1.0, delta2=0.6, t_max=2000.0):
    t0, c0 = time.perf_counter(), time.process_time()
    tracemalloc.start()
    df = langevin_dmft(3, delta2, 1.0, temperature=temperature, cbar0=1e-4, t_max=t_max,
                       n_window=n_window)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"T={temperature:g} Δ2={delta2:g} n_window={n_window:4d} t_end={df.t.iloc[-1]:8.1f} "
          f"rows={len(df):5d} wall={wall:6.2f}s cpu={cpu:6.2f}s solver_arrays_peak="
          f"{peak / 2**20:6.1f}MB escape_time(C̄=0.3)={escape_time(df):8.2f}", flush=True)


if __name__ == "__main__":
    langevin_dmft(3, 0.6, 1.0, t_max=1.0, n_window=64)  # compile / load the kernels
    langevin_dmft(3, 0.6, 1.0, temperature=0.0, t_max=1.0, n_window=64)
    for n in (128, 256, 512):
        run(n)
    run(128, temperature=0.0, delta2=0.5, t_max=2000.0)
    run(256, temperature=0.0, delta2=0.5, t_max=2000.0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (interpreter + numpy + numba + solver): {rss:.0f} MB")
