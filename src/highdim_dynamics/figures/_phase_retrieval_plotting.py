"""Plot helpers shared by the phase-retrieval figures."""

#: Mathtext names of the threshold lines (``line`` column) of the figure CSVs.
THRESHOLD_LABELS = {
    "alpha_IT": r"$\alpha_{\mathrm{IT}}$",
    "alpha_AMP": r"$\alpha_{\mathrm{AMP}}$",
    "alpha_GD": r"$\alpha_{\mathrm{GD}}$",
}
