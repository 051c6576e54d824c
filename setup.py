"""Build hook: the wheel carries the figure table, its schemas and the workflow config.

The table lives in ``workflow/`` (one YAML file per model family, edited with the
workflow); ``build_py`` copies it to ``highdim_dynamics/workflow_data/`` so that a
non-editable install finds it (``highdim_dynamics.core.figure_table.workflow_dir``).
Editable installs read ``workflow/`` of the checkout directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

WORKFLOW = Path(__file__).resolve().parent / "workflow"
SHIPPED = ("figures", "schemas", "config")  # the *.yaml files of these subdirectories


class BuildPyWithFigureTable(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "highdim_dynamics" / "workflow_data"
        for sub in SHIPPED:
            for path in sorted((WORKFLOW / sub).glob("*.yaml")):
                (target / sub).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / sub / path.name)


setup(cmdclass={"build_py": BuildPyWithFigureTable})
