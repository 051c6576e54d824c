"""Annealing schedule of the tensor noise, Δp_eff(t) = Δp + c e^{-max(t, t0)/τ}."""

from __future__ import annotations

from dataclasses import dataclass

from highdim_dynamics.core.validation import ParameterError, nonnegative, positive
from highdim_dynamics.spiked import model


@dataclass(frozen=True)
class Anneal:
    """Δp_eff(t) = Δp + c·exp(−t/τ) for t > t0, Δp + c for t <= t0 (t0 = 1 by default).

    Convention (PRX 2020; the authors' public Langevin code): every tensor term of the
    Hamiltonian used at time t is divided by Tp(t) = Δp_eff(t)/Δp.  In the DMFT the signal
    term at t carries a(t) = 1/Tp(t) and the noise kernel between t and s carries a(t) a(s)
    (the same Gaussian tensor at both times, each scaled once).
    """

    c: float = 100.0
    tau: float = 70.0
    t0: float = 1.0

    def __post_init__(self):
        nonnegative("anneal.c", self.c)
        positive("anneal.tau", self.tau)
        nonnegative("anneal.t0", self.t0)

    def delta_p_eff(self, t: float, delta_p: float) -> float:
        """Δp_eff at time t (:func:`highdim_dynamics.spiked.model.delta_p_eff`)."""
        return model.delta_p_eff(
            float(t), float(delta_p), float(self.c), float(self.tau), float(self.t0)
        )

    def weight(self, t: float, delta_p: float) -> float:
        """a(t) = Δp/Δp_eff(t) (:func:`highdim_dynamics.spiked.model.anneal_weight`)."""
        return model.anneal_weight(
            float(t), float(delta_p), float(self.c), float(self.tau), float(self.t0)
        )


#: The constants of the annealing protocol of PRX 2020 (c = 100, τ = 70, constant for t <= 1).
AUTHORS_ANNEAL = Anneal(c=100.0, tau=70.0, t0=1.0)


def as_anneal(anneal) -> Anneal | None:
    """``None`` / an :class:`Anneal` / a mapping ``{c, tau[, t0]}`` -> Anneal or None."""
    if anneal is None:
        return None
    if isinstance(anneal, Anneal):
        return anneal
    if isinstance(anneal, dict):
        unknown = set(anneal) - {"c", "tau", "t0"}
        if unknown:
            raise ParameterError(f"anneal has unknown keys {sorted(unknown)!r} (use c, tau, t0)")
        return Anneal(**anneal)
    raise ParameterError(f"anneal must be None, an Anneal or a dict {{c, tau}}, got {anneal!r}")
