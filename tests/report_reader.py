"""Reading ``snakemake --report`` output as a reader does, in a real headless Chromium.

The browser is driven through the DevTools protocol over a pipe (no extra package):
``chromium --remote-debugging-pipe`` reads NUL-terminated JSON commands on fd 3 and writes
responses and events on fd 4.  ``read_report`` clicks through the report's JavaScript
application and returns what the rendered page shows; ``assert_entry_shows_figure`` states
what one figure's entry must show.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time

from highdim_dynamics.core.figure_table import load_figure_table

TABLE = load_figure_table()


def chromium_binary(install: bool = True) -> str | None:
    """Chromium's executable; Debian's ``chromium`` is apt-installed first where possible."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
    ):
        done = subprocess.run(command, env=env, capture_output=True, timeout=900)
        if command[1] == "install" and done.returncode == 0:
            break
    return shutil.which("chromium")


class Browser:
    """One page of a headless Chromium; ``evaluate`` runs JavaScript and returns its value."""

    def __init__(self, binary: str, timeout: float = 60.0):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def child_fds():  # the protocol's fixed descriptors: commands on 3, replies on 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--remote-debugging-pipe",
                f"--user-data-dir={self._profile}",
                "--window-size=1400,1000",
                "about:blank",
            ],
            pass_fds=(3, 4),
            preexec_fn=child_fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply to {method} within {self.timeout} s")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk

    def evaluate(self, expression: str):
        """Value of a JavaScript expression in the page (promises are awaited)."""
        result = self._send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            self._session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, ready: str = "document.readyState === 'complete'") -> None:
        """Load ``url`` and wait until the JavaScript condition ``ready`` holds."""
        self._send("Page.navigate", {"url": url}, self._session)
        self.wait_for(ready)

    def wait_for(self, condition: str, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.evaluate(f"Boolean({condition})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never satisfied {condition!r}")
            time.sleep(0.05)

    def close(self) -> None:
        try:
            self._send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# What a reader does in Snakemake's report (a React app): open the paper's category, the
# paper figure's subcategory if the category has several, view the figure's entry (the
# image appears in the main panel), then its information panel (labels and caption).
_READ_ENTRY = """
async (category, subcategory, figure) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const until = async (f, what) => {
    for (let i = 0; i < 400; i++) { const v = f(); if (v) return v; await sleep(25); }
    throw new Error("report never showed " + what);
  };
  const link = text => [...document.querySelectorAll("nav a")].find(a => a.textContent.trim() === text);
  const row = () => {  // the figure's row; its "plot" row when the rows are not toggled
    const rows = [...document.querySelectorAll("nav tbody tr")].filter(
      tr => tr.cells.length && tr.cells[0].textContent.trim() === figure);
    return rows.find(tr => [...tr.cells].some(td => td.textContent.trim() === "plot")) || rows[0];
  };
  (await until(() => link(category), "the category " + category)).click();
  await until(() => row() || link(subcategory), "the entry or subcategory of " + figure);
  if (!row()) link(subcategory).click();
  const buttons = (await until(row, "the entry " + figure)).querySelectorAll("a");
  buttons[0].click();
  const img = await until(() => [...document.querySelectorAll("img")].find(
    i => i.src.startsWith("data:image/png") && i.complete && i.naturalWidth > 0), "the image");
  buttons[1].click();
  const caption = await until(() => document.querySelector("nav .prose"), "the caption");
  return {image: {width: img.naturalWidth, height: img.naturalHeight,
                  shown_width: img.getBoundingClientRect().width},
          panel: document.querySelector("nav").innerText, caption: caption.innerText};
}
"""

_CATEGORIES = """
(() => {
  const heading = [...document.querySelectorAll("nav li")].findIndex(li => li.textContent.trim() === "Results");
  return [...document.querySelectorAll("nav li")].slice(heading + 1).map(li => li.textContent.trim());
})()
"""


def read_report(path, entries: list[tuple[str, str, str]], timeout: float = 60.0) -> dict:
    """Open ``path`` (report.html) and read back each (category, subcategory, figure) entry.

    Returns ``{"categories": [menu entries], figure: {"image", "panel", "caption"}}``.
    """
    ready = (
        "document.readyState === 'complete' && typeof app !== 'undefined' && "
        "document.querySelectorAll('nav a').length > 3"
    )
    url = f"file://{path}"
    found = {}
    with Browser(chromium_binary(), timeout=timeout) as browser:
        browser.open(url, ready)
        found["categories"] = browser.evaluate(_CATEGORIES)
        for category, subcategory, figure in entries:
            browser.open(url, ready)  # back to the start page, as a reader reopening it
            found[figure] = browser.evaluate(
                f"({_READ_ENTRY})({json.dumps(category)}, {json.dumps(subcategory)}, "
                f"{json.dumps(figure)})"
            )
    return found


def paper_of(spec):
    """The report category of a figure: the title most figures of its arXiv id carry."""
    titles = [s.paper for s in TABLE.values() if s.arxiv == spec.arxiv]
    return max(dict.fromkeys(titles), key=titles.count)


def worst_comparison(check):
    def scaled(c):
        dev, tol = c["max_deviation"], c["tolerance"]
        return (not c["passed"], dev / tol if dev is not None and tol else 0.0)

    return max(check["comparisons"], key=scaled)


def _number(value):
    return "—" if value is None else f"{value:.3g}" if isinstance(value, float) else str(value)


def assert_entry_shows_figure(entry, spec, check):
    """What the reader sees for one figure: image, caption, verdict and the check's numbers."""
    assert entry["image"]["width"] > 300 and entry["image"]["shown_width"] > 300, entry["image"]
    assert "System Message" not in entry["panel"] and "Docutils" not in entry["panel"]
    caption = " ".join(entry["caption"].split())
    assert " ".join(spec.caption.split()) in caption  # rendered literally, |m| included
    assert " ".join(spec.check["reference"].split()) in caption
    verdict = "passed" if check["passed"] else "FAILED"
    assert verdict in entry["panel"]
    assert check["comparisons"], f"{spec.id}: the check JSON lists no comparison"
    worst = worst_comparison(check)
    assert f"{_number(worst['max_deviation'])} / {_number(worst['tolerance'])}" in entry["panel"]
    for label in ("quantity", "reference"):  # shown whole, or its first 79 characters
        assert " ".join(worst[label].split())[:79].rstrip() in entry["panel"], (
            label,
            entry["panel"],
        )
