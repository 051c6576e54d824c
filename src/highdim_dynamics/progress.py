"""Progress reports for long runs, written to standard error (the rule's log)."""

from __future__ import annotations

import sys
import time


class Progress:
    """Report ``done/total`` at most every ``every`` seconds, with elapsed time.

    Examples
    --------
    >>> bar = Progress("simulate", total=40)          # doctest: +SKIP
    >>> for k in range(40): ...; bar.update()          # doctest: +SKIP
    """

    def __init__(self, what: str, total: int, every: float = 5.0, stream=None):
        self.what, self.total, self.every = what, max(int(total), 1), every
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.start = self.last = time.perf_counter()

    def update(self, n: int = 1, note: str = "") -> None:
        self.done += n
        now = time.perf_counter()
        if now - self.last >= self.every or self.done >= self.total:
            self.last = now
            pct = 100.0 * self.done / self.total
            extra = f" {note}" if note else ""
            print(f"[{self.what}] {self.done}/{self.total} ({pct:.0f}%) "
                  f"{now - self.start:.1f}s{extra}", file=self.stream, flush=True)
