"""The package's import graph: every module imports in a fresh interpreter, the module-level
imports form no cycle, the library core depends on no model family, and the DMFT engine never
reaches the independent reference solver it is checked against."""

import subprocess
import sys
from pathlib import Path

import highdim_dynamics
from highdim_dynamics.core.figure_table import module_imports

PACKAGE_DIR = Path(highdim_dynamics.__file__).resolve().parent
NAME = PACKAGE_DIR.name


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _edges(module: str, path: Path, *, top_level_only: bool) -> set[str]:
    """Modules of the package that ``module`` imports."""
    return {
        m
        for m in module_imports(path, module, top_level_only=top_level_only)
        if m in MODULES and m != module
    }


def _graph(top_level_only: bool) -> dict[str, set[str]]:
    return {m: _edges(m, p, top_level_only=top_level_only) for m, p in MODULES.items()}


def _reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for n in graph[todo.pop()] - seen:
            seen.add(n)
            todo.append(n)
    return seen


def test_every_module_imports_in_a_fresh_interpreter():
    names = [m for m in MODULES if not m.endswith("__main__")]
    code = (
        "import importlib, sys\nbad = []\nfor m in sys.argv[1:]:\n"
        "    try:\n        importlib.import_module(m)\n"
        "    except Exception as e:\n        bad.append(f'{m}: {type(e).__name__}: {e}')\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_module_level_imports_have_no_cycle():
    graph = _graph(top_level_only=True)
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_core_depends_on_no_model_family():
    graph = _graph(top_level_only=False)  # lazy imports inside functions count too
    for m in MODULES:
        if m == f"{NAME}.core" or m.startswith(f"{NAME}.core."):
            bad = sorted(
                n for n in _reachable(graph, m) if not (n == NAME or n.startswith(f"{NAME}.core"))
            )
            assert not bad, f"{m} imports {bad}"


def test_dmft_engine_never_reaches_the_reference_solver():
    graph = _graph(top_level_only=False)
    reference = f"{NAME}.spiked.dmft_reference"
    for m in MODULES:
        if m.startswith(f"{NAME}.spiked.dmft.") or m == f"{NAME}.spiked.dmft":
            bad = sorted(n for n in _reachable(graph, m) if n.startswith(reference))
            assert not bad, f"{m} reaches {bad}"
