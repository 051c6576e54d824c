"""The figure table: schema, uniqueness, functions, parameter validation, sources."""

import inspect

import pytest

from highdim_dynamics.core.figure_table import (
    ROLES,
    FigureTableError,
    figure_function,
    library_sources,
    load_figure_table,
)
from highdim_dynamics.core.validation import ParameterError

TABLE = load_figure_table()


def test_table_is_not_empty_and_ids_are_unique_across_files(tmp_path, repo):
    assert "bayes_optimal_phase_diagram" in TABLE
    src = (repo / "workflow/figures/spiked_bayes_optimal.yaml").read_text()
    (tmp_path / "spiked_bayes_optimal.yaml").write_text(src)
    (tmp_path / "other.yaml").write_text(
        src.replace("family: spiked_bayes_optimal", "family: other")
    )
    with pytest.raises(FigureTableError, match="in both"):
        load_figure_table(tmp_path)


def test_table_schema_rejects_missing_check(tmp_path, repo):
    src = (repo / "workflow/figures/spiked_bayes_optimal.yaml").read_text()
    broken = src.split("    check:")[0]
    (tmp_path / "spiked_bayes_optimal.yaml").write_text(broken)
    with pytest.raises(FigureTableError, match="check"):
        load_figure_table(tmp_path)


@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_every_figure_resolves_and_has_both_scales(fig_id):
    spec = TABLE[fig_id]
    for function in (spec.data_function, spec.plot_function, spec.check_function):
        assert callable(function)
    for scale in ("quick", "paper"):
        params = spec.parameters(scale)  # validates against vocabulary and signature
        assert "seed" in inspect.signature(spec.data_function).parameters
        assert set(params) <= set(inspect.signature(spec.data_function).parameters)
    assert spec.check["tolerance"], f"{fig_id}: the check must state its tolerance"


def test_parameter_errors_name_the_parameter_and_value():
    spec = TABLE["bayes_optimal_phase_diagram"]
    with pytest.raises(ParameterError, match=r"'delta_p_min' = -1"):
        spec.parameters("quick", {"delta_p_min": -1})
    with pytest.raises(ParameterError, match=r"'p_values' = \[3.5\]"):
        spec.parameters("quick", {"p_values": [3.5]})
    with pytest.raises(ParameterError, match="unknown parameter 'bogus'"):
        spec.parameters("quick", {"bogus": 1})
    with pytest.raises(ParameterError, match="unknown scale 'huge'"):
        spec.parameters("huge")


def test_functions_are_found_from_the_id():
    spec = TABLE["bayes_optimal_phase_diagram"]
    for role in ROLES:
        assert (
            spec.functions[role]
            == figure_function(spec.id, role)
            == (f"highdim_dynamics.figures.bayes_optimal_phase_diagram.{role}:{role}")
        )
    assert (
        spec.check_function.__module__
        == "highdim_dynamics.figures.bayes_optimal_phase_diagram.check"
    )


def test_a_figure_without_its_module_is_a_named_error(tmp_path, repo):
    src = (repo / "workflow/figures/spiked_bayes_optimal.yaml").read_text()
    (tmp_path / "spiked_bayes_optimal.yaml").write_text(
        src.replace("  bayes_optimal_phase_diagram:", "  no_such_figure:")
    )
    with pytest.raises(
        FigureTableError,
        match=r"figure 'no_such_figure': no module "
        r"highdim_dynamics\.figures\.no_such_figure\.data .*no_such_figure/data\.py",
    ):
        load_figure_table(tmp_path, repo / "workflow/schemas/figure_table.schema.yaml")


def test_a_row_naming_its_functions_is_refused(tmp_path, repo):
    """The table names no functions: data, plot and check are found from the id."""
    src = (repo / "workflow/figures/spiked_bayes_optimal.yaml").read_text()
    (tmp_path / "spiked_bayes_optimal.yaml").write_text(
        src.replace(
            "    columns:",
            "    data: highdim_dynamics.figures.bayes_optimal_phase_diagram.data:data\n"
            "    columns:",
            1,
        )
    )
    with pytest.raises(FigureTableError, match="'data' was unexpected"):
        load_figure_table(tmp_path, repo / "workflow/schemas/figure_table.schema.yaml")


def test_library_sources_follow_imports_only():
    spec = TABLE["bayes_optimal_phase_diagram"]
    files = {p.name for p in library_sources(spec)}
    assert {"bayes_optimal.py", "model.py", "algorithmic_lines.py", "runner.py", "data.py"} <= files
    assert "spherical_gradient_flow.py" not in files  # another family's module
    assert not {"plot.py", "check.py"} & files
    plot_files = {p.name for p in library_sources(spec, "plot")}
    assert {"figures.mplstyle", "plot.py"} <= plot_files
    assert not {"data.py", "check.py", "bayes_optimal.py"} & plot_files
    check_files = {p.name for p in library_sources(spec, "check")}
    assert {"check.py", "checking.py", "bayes_optimal.py"} <= check_files
    assert not {"data.py", "plot.py", "figures.mplstyle"} & check_files
