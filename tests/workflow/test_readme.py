"""The README states the two commands and its gallery matches the figure table."""

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.gallery import END, START, gallery_markdown


def test_gallery_is_in_sync_with_the_table(repo):
    text = (repo / "README.md").read_text()
    block = text.split(START)[1].split(END)[0].strip()
    assert block == gallery_markdown(load_figure_table()), (
        "README gallery is stale: run `python -m highdim_dynamics gallery`"
    )


def test_ci_runs_the_readme_test_command(repo):
    readme = (repo / "README.md").read_text()
    command = 'bash envs/setup.sh && .venv/bin/python -m pytest -m "not slow"'
    assert command in readme
    assert command in (repo / ".ci" / "run").read_text()
