"""The ``Examples`` of the package's docstrings run as doctests (numpydoc style).

Every module of ``highdim_dynamics`` is imported and its docstrings' examples executed;
modules without examples are not collected.  Examples are kept to a second or two each.
"""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import highdim_dynamics


def _has_examples(name: str) -> bool:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return any(t.examples for t in finder.find(module, module.__name__))


MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(highdim_dynamics.__path__, "highdim_dynamics.")
    if m.name != "highdim_dynamics.__main__" and _has_examples(m.name)
)


def test_examples_are_found():
    assert len(MODULES) >= 8, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


def test_every_family_has_examples():
    """Each family exposes its main computations with at least one runnable example."""
    for family in ("spiked", "phase_retrieval", "quadratic_network", "gaussian_mixture"):
        pkg = importlib.import_module(f"highdim_dynamics.{family}")
        names = getattr(pkg, "__all__", [])
        assert names, f"highdim_dynamics.{family} exports nothing"
        # every submodule is imported by now (MODULES): an exported name must still be the
        # function, not a submodule of the same name shadowing it
        modules = [n for n in names if inspect.ismodule(getattr(pkg, n))]
        assert not modules, f"highdim_dynamics.{family}: {modules} resolve to submodules"
        with_examples = [n for n in names if ">>>" in (getattr(pkg, n).__doc__ or "")]
        assert with_examples, f"no exported function of {family} has an example"
