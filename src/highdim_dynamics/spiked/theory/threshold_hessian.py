"""Hessian at the threshold states of the spiked matrix-tensor model (theory).

NeurIPS 2019 (Big Bad Minima, arXiv:1907.08226).  At a critical
point at overlap m with Lagrange multiplier t (in units of σ = √f''(1)), the Riemannian
Hessian is σ (W + t − θ vvᵀ) with W a GOE of semicircle [−2, 2], v the unit projection
of x* on the tangent plane and θ = (1 − m²) Q''(m)/σ.  At the threshold states (m = 0,
t = 2):

* bulk: semicircle of radius 2σ centred at 2σ, touching 0;
* θ = (1/Δ2)/σ; for θ > 1 an isolated eigenvalue at σ(2 − θ − 1/θ) < 0 (BBP), whose
  eigenvector has squared overlap 1 − 1/θ² with v; for θ ≤ 1 none (overlap → 0).

The outlier's distance to the bulk edge, σ(2 − θ − 1/θ), does not depend on t.
"""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import in_interval, integer, positive
from highdim_dynamics.spiked.theory.kac_rice import model_scales

__all__ = ["threshold_hessian", "semicircle_density"]


def semicircle_density(x, centre: float, radius: float):
    """Semicircle density of the given centre and radius (vectorised; 0 outside)."""
    radius = positive("radius", radius)
    z = (np.asarray(x, dtype=float) - centre) / radius
    return np.where(
        np.abs(z) < 1, 2.0 / (np.pi * radius) * np.sqrt(np.clip(1 - z * z, 0, None)), 0.0
    )


def threshold_hessian(
    p: int, delta2: float, delta_p: float, *, m: float = 0.0, t: float = 2.0
) -> dict:
    """Spectrum of the Riemannian Hessian at overlap m and Lagrange multiplier t (default: threshold).

    Returns
    -------
    dict
        ``sigma``, ``theta``, ``bulk_centre`` (tσ), ``bulk_radius`` (2σ), ``outlier``
        (σ(t − θ − 1/θ), NaN when θ ≤ 1), ``outlier_overlap2`` (1 − 1/θ², 0 when θ ≤ 1).

    Examples
    --------
    >>> from highdim_dynamics.spiked import threshold_hessian
    >>> h = threshold_hessian(3, 1 / 3.5, 1.0)   # above the GF line: θ > 1, an outlier
    >>> round(h["theta"], 4), round(h["outlier"], 4), round(h["outlier_overlap2"], 4)
    (1.4924, -0.381, 0.551)
    """
    p = integer("p", p, minimum=3)
    delta2, delta_p = positive("delta2", delta2), positive("delta_p", delta_p)
    m = in_interval("m", m, -1.0, 1.0)
    t = in_interval("t", t, 2.0, np.inf, closed="left")
    s = model_scales(m, p, delta2, delta_p)
    sigma, theta = float(s["sigma"]), float(s["theta"])
    has = theta > 1.0
    return dict(
        sigma=sigma,
        theta=theta,
        bulk_centre=t * sigma,
        bulk_radius=2 * sigma,
        outlier=sigma * (t - theta - 1 / theta) if has else np.nan,
        outlier_overlap2=1 - 1 / theta**2 if has else 0.0,
    )
