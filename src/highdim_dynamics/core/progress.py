"""Progress reports for long runs, with rate and ETA (tqdm), on standard error.

On a terminal the report is a live tqdm bar; in a file (a Snakemake rule's log under
``logs/``) it is one line every ``every`` seconds and a last one at the end, in tqdm's
format (``done/total [elapsed<remaining, rate]``).  Reports are off under pytest unless
asked for, and can be switched off or on everywhere with ``HIGHDIM_PROGRESS=0`` / ``1``.
"""

from __future__ import annotations

import os
import sys
import time

from tqdm import tqdm

#: Environment variable: "0" silences progress reports, "1" forces them (also in tests).
ENV = "HIGHDIM_PROGRESS"


def progress_enabled() -> bool:
    """Whether progress is reported: ``HIGHDIM_PROGRESS`` if set, else not under pytest."""
    setting = os.environ.get(ENV)
    if setting is not None:
        return setting.strip() not in ("", "0", "false", "no")
    return "PYTEST_CURRENT_TEST" not in os.environ


class Progress:
    """Report ``done/total`` with rate and ETA: a bar on a terminal, a line every ``every``
    seconds in a log file.

    Examples
    --------
    >>> import io
    >>> bar = Progress("simulate", total=4, stream=io.StringIO(), enabled=True)
    >>> for k in range(4):
    ...     bar.update()
    >>> bar.stream.getvalue().startswith("simulate: 100% 4/4 [")
    True
    """

    def __init__(
        self, what: str, total: int, every: float = 5.0, stream=None, enabled: bool | None = None
    ):
        self.what, self.total, self.every = what, max(int(total), 1), every
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = progress_enabled() if enabled is None else enabled
        self.done = 0
        self.start = self.last = time.perf_counter()
        interactive = self.enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar = (
            tqdm(total=self.total, desc=what, file=self.stream, mininterval=0.5, dynamic_ncols=True)
            if interactive
            else None
        )

    def update(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            if note:
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.update(n)
            if self.done >= self.total:
                self._bar.close()
            return
        now = time.perf_counter()
        if now - self.last >= self.every or self.done >= self.total:
            self.last = now
            line = tqdm.format_meter(
                self.done, self.total, now - self.start, prefix=self.what, ascii=True, ncols=0
            )
            print(line + (f" {note}" if note else ""), file=self.stream, flush=True)
