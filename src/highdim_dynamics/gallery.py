"""The README gallery, generated from the figure table (nothing is listed twice).

``python -m highdim_dynamics gallery`` rewrites the block between the gallery markers of
README.md; a test fails when the README and the table disagree.  The images it links are
committed under ``docs/gallery/``, apart from the build outputs (``figures/``, never
tracked), so that a build leaves the checkout clean; ``gallery --refresh`` copies the
quick-scale PNGs of a finished build there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from highdim_dynamics.core.figure_table import REPO_DIR, FigureSpec, load_figure_table

START, END = "<!-- gallery:start -->", "<!-- gallery:end -->"
#: Committed gallery images (relative to the repository), apart from the build outputs.
GALLERY_DIR = Path("docs") / "gallery"


def gallery_markdown(table: dict[str, FigureSpec], scale: str = "quick") -> str:
    """Markdown table: figure id → paper, figure number, reference check, image link."""
    lines = [
        "| figure id | paper | paper figure | checked against | image |",
        "|---|---|---|---|---|",
    ]
    for fig_id, spec in sorted(table.items(), key=lambda kv: kv[1].arxiv):  # by paper
        ref = " ".join(spec.check["reference"].split())
        ref = ref if len(ref) < 110 else ref[:107].rsplit(" ", 1)[0] + " …"
        lines.append(
            f"| `{fig_id}` | {spec.paper} (arXiv:{spec.arxiv}) | {spec.paper_figure} | "
            f"{ref} | [png]({GALLERY_DIR.as_posix()}/{fig_id}.png) |"
        )
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


def refresh_images(build_dir: Path | str, repo: Path = REPO_DIR) -> list[str]:
    """Copy the quick-scale PNGs of a finished build (``build_dir/figures/quick``) into
    ``docs/gallery/``; return the ids copied.  Raises FileNotFoundError naming what is
    missing, before copying anything."""
    source = Path(build_dir) / "figures" / "quick"
    table = load_figure_table()
    missing = [f for f in table if not (source / f"{f}.png").is_file()]
    if missing:
        raise FileNotFoundError(
            f"no quick-scale PNG in {source} for {missing}: build them first (snakemake --cores 2)"
        )
    target = repo / GALLERY_DIR
    target.mkdir(parents=True, exist_ok=True)
    for fig_id in table:
        shutil.copyfile(source / f"{fig_id}.png", target / f"{fig_id}.png")
    return sorted(table)
