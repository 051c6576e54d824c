"""Benchmark of the multi-resolution reference DMFT solver (escape times and cost).

Setting of the performance target: p = 3, Δp = 1, Δ2 = 0.6, T = 1, C̄(0) = 1e-4.
The accuracy measure is the escape time t_esc (first C̄ = 0.3): converged value 251.3 ± 0.5
(multi-resolution, Richardson in h, extrapolated in B; tests/spiked/dmft_reference/
test_multiresolution.py).  For each solver setting the script prints the escape time,
its error against that value, wall/CPU time (one thread: NUMBA_NUM_THREADS=1 is set
here, after a warm-up call that compiles or loads the kernels) and the size of the solver's
arrays, then the cost of reaching t = 2000 with the settings used by the figures.

Run: ``python benchmarks/bench_multiresolution_dmft.py`` (``--short``: skip the t = 2000
runs and the largest settings; about a minute).
"""

import os

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

from highdim_dynamics.spiked.dmft_reference.multiresolution import (  # noqa: E402
    multiresolution_dmft,
    multiresolution_escape_time,
)

T_ESC = 251.3  # converged escape time at Δ2 = 0.6 (module docstring)
MODEL = (3, 0.6, 1.0)


def timed(fn, *args, trace=True, **kwargs):
    """Wall and CPU time, and the peak of traced allocations if ``trace``.

    tracemalloc slows every Python-level allocation, which the multi-resolution solver
    makes once per step: its timings are taken untraced and its memory read from the
    size of its two-time arrays (``attrs['array_bytes']``) instead.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    if trace:
        tracemalloc.start()
    out = fn(*args, **kwargs)
    peak = 0
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return out, time.perf_counter() - t0, time.process_time() - c0, peak / 2**20


def report(label, t_esc, wall, cpu, mem):
    print(
        f"{label:42s} t_esc={t_esc:8.2f} err={100 * (t_esc / T_ESC - 1):+6.2f}% "
        f"wall={wall:6.2f}s cpu={cpu:6.2f}s arrays_peak={mem:6.1f}MB",
        flush=True,
    )


def main(short=False):
    multiresolution_dmft(*MODEL, t_max=1.0, h=0.05)
    settings = [((0.05, 0.025), 16), ((0.05, 0.025), 32)]
    if not short:
        settings += [((0.05, 0.025, 0.0125), 32), ((0.025, 0.0125), 64)]
    for steps, b in settings:
        r, wall, cpu, _ = timed(
            multiresolution_escape_time,
            *MODEL,
            t_max=400.0,
            steps=steps,
            points_per_octave=b,
            trace=False,
        )
        report(
            f"multi-resolution steps={steps} B={b}",
            r["extrapolated"],
            wall,
            cpu,
            r["array_bytes"] / 2**20,
        )
    if short:
        return
    # cost of t = 2000
    for h, b in ((0.1, 16), (0.05, 16), (0.05, 32)):
        df, wall, cpu, _ = timed(
            multiresolution_dmft,
            *MODEL,
            cbar0=1e-4,
            t_max=2000.0,
            h=h,
            points_per_octave=b,
            record_every=20,
            trace=False,
        )
        print(
            f"multi-resolution t=2000 h={h} B={b}: wall={wall:6.2f}s cpu={cpu:6.2f}s "
            f"grid={df.attrs['max_grid']} arrays={df.attrs['array_bytes'] / 2**20:6.1f}MB",
            flush=True,
        )


if __name__ == "__main__":
    main(short="--short" in sys.argv)
