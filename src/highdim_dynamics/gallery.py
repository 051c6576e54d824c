"""The README gallery, generated from the figure table (nothing is listed twice).

``python -m highdim_dynamics gallery`` rewrites the block between the gallery markers of
README.md; a test fails when the README and the table disagree.
"""

from __future__ import annotations

from pathlib import Path

from .figure_table import REPO_DIR, FigureSpec, load_figure_table

START, END = "<!-- gallery:start -->", "<!-- gallery:end -->"


def gallery_markdown(table: dict[str, FigureSpec], scale: str = "quick") -> str:
    """Markdown table: figure id → paper, figure number, reference check, image link."""
    lines = ["| figure id | paper | paper figure | checked against | image |",
             "|---|---|---|---|---|"]
    for fig_id, spec in sorted(table.items(), key=lambda kv: kv[1].arxiv):  # by paper
        ref = " ".join(spec.check["reference"].split())
        ref = ref if len(ref) < 110 else ref[:107].rsplit(" ", 1)[0] + " …"
        lines.append(f"| `{fig_id}` | {spec.paper} (arXiv:{spec.arxiv}) | {spec.paper_figure} | "
                     f"{ref} | [png](figures/{scale}/{fig_id}.png) |")
    return "\n".join(lines)


def update_readme(readme: Path = REPO_DIR / "README.md") -> bool:
    """Rewrite the gallery block of ``readme``; return whether it changed."""
    text = readme.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = f"{head}{START}\n{gallery_markdown(load_figure_table())}\n{END}{tail}"
    if new != text:
        readme.write_text(new)
    return new != text
