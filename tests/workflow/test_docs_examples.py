"""The Python examples of ``docs/*.md`` run as written.

The ```` ```python ```` blocks of each page are executed in order in one namespace (a page
reads as one session); an exception or a failed ``assert`` in a block fails the test.
"""

import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PAGES = sorted(p for p in DOCS.glob("*.md") if BLOCK.search(p.read_text()))


def test_every_family_has_a_page_with_an_example():
    names = {p.stem for p in PAGES}
    assert {"spiked", "landscape", "phase_retrieval", "gaussian_mixture"} <= names, names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_docs_python_blocks_run(page, capsys):
    namespace = {"__name__": f"docs_{page.stem}"}
    for k, block in enumerate(BLOCK.findall(page.read_text())):
        code = compile(block, f"{page.name}[block {k}]", "exec")
        exec(code, namespace)  # noqa: S102 - the documentation's own examples
