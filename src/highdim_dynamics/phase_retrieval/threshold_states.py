"""Threshold (marginal) minima of spherical phase retrieval and their BBP instability.

arXiv:2006.06997, Sec. 4: the zero-temperature marginal 1RSB states at zero overlap with
the signal (saddle point in χ and the replicon condition), the joint law of (ŷ, y) over
the samples in these states, and the Lu–Li / BBP criterion for an outlier of their Hessian
toward the signal; ``alpha_gd`` is the zero of that criterion in α.  Quadrature converged
to ~1e-4 in the criterion, ~1e-3 in α_GD.  Equations, quadrature and the known caveat (a
slightly negative complexity of these states): ``docs/numerics.md`` (phase retrieval).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import roots_legendre

from highdim_dynamics.core.validation import DivergenceError, ParameterError, integer, positive

from .lu_li import SpectralLaw, lu_li_outlier

#: (y panels, Gauss-Legendre nodes per y panel, h panels, nodes per h panel)
QUADRATURE = (24, 6, 30, 6)
_Y_MAX, _H_MAX = 9.0, 9.0


def _panels(edges: np.ndarray, k: int):
    x, w = roots_legendre(k)
    a, b = edges[:-1, None], edges[1:, None]
    return (a + (b - a) * (x + 1.0) / 2.0).ravel(), ((b - a) / 2.0 * w).ravel()


def _half_normal(x):
    return 2.0 * np.exp(-x * x / 2.0) / np.sqrt(2.0 * np.pi)


def _check_quadrature(quadrature) -> tuple:
    if len(quadrature) != 4:
        raise ParameterError(
            f"quadrature must be (y panels, y nodes, h panels, h nodes), got {quadrature!r}"
        )
    return tuple(integer(f"quadrature[{i}]", v, minimum=2) for i, v in enumerate(quadrature))


@dataclass(frozen=True)
class _Nodes:
    y: np.ndarray  # (n_y, 1)
    w_y: np.ndarray  # (n_y, 1), half-normal weights
    h: np.ndarray  # (1, n_h)
    w_h: np.ndarray  # (1, n_h), half-normal weights


def _nodes(chi: float, quadrature) -> _Nodes:
    n_y, k_y, n_h, k_h = quadrature
    y0 = 1.0 / (2.0 * np.sqrt(chi))
    edges = [np.linspace(0.0, _Y_MAX, n_y)]
    if y0 < _Y_MAX:
        d = np.geomspace(1e-7, 1.0, max(2, n_y // 3)) * min(y0, _Y_MAX - y0)
        edges += [y0 - d, y0 + d, [y0]]
    Y, WY = _panels(np.unique(np.concatenate(edges)), k_y)
    H, WH = _panels(np.concatenate([[0.0], np.geomspace(1e-7, _H_MAX, n_h)]), k_h)
    return _Nodes(
        Y[:, None], (WY * _half_normal(Y))[:, None], H[None, :], (WH * _half_normal(H))[None, :]
    )


def _minimiser(y, h, chi):
    """Largest root of 4χu³ + (1 − 4χy²)u − h = 0 (the global minimiser of the envelope, h > 0).

    Newton from u = h + y + 1 (above the root, where the cubic is increasing and convex)
    converges monotonically.
    """
    u = np.abs(h) + y + 1.0
    c1 = 1.0 - 4.0 * chi * y**2
    for _ in range(200):
        du = (4.0 * chi * u**3 + c1 * u - h) / (12.0 * chi * u**2 + c1)
        u = u - du
        if np.max(np.abs(du) / u) < 1e-15:
            return u
    raise DivergenceError(
        "threshold_states: Newton iteration for the envelope minimiser did not converge"
    )


def _state(chi: float, x_hat: float, quadrature):
    nd = _nodes(chi, quadrature)
    y, h = nd.y, nd.h
    u = _minimiser(y, h, chi)
    M = (y**2 - u**2) ** 2 + (u - h) ** 2 / (2.0 * chi)
    M0 = M.min(axis=1, keepdims=True)
    tilt = nd.w_h * np.exp(-x_hat * (M - M0))
    Z = tilt.sum(axis=1, keepdims=True)
    P = nd.w_y * tilt / Z  # joint weights of (y, h) nodes, sum to one
    return dict(
        nodes=nd,
        u=u,
        P=P,
        M=M,
        log_Z=np.log(Z[:, 0]) - x_hat * M0[:, 0],
        d1=4.0 * u**3 - 4.0 * y**2 * u,
        d2=12.0 * u**2 - 4.0 * y**2,
    )


def potential(chi: float, x_hat: float, alpha: float, *, quadrature=QUADRATURE) -> float:
    """The 1RSB potential G(χ, x̂) = ½ ln(1 + x̂/χ) + α E_y ln ∫ Dh exp(−x̂ M_y(h)) (= Σ − x̂ e)."""
    chi, x_hat, alpha = positive("chi", chi), positive("x_hat", x_hat), positive("alpha", alpha)
    s = _state(chi, x_hat, _check_quadrature(quadrature))
    return 0.5 * np.log1p(x_hat / chi) + alpha * float(np.sum(s["nodes"].w_y[:, 0] * s["log_Z"]))


def _saddle(chi, x_hat, alpha, quadrature):
    s = _state(chi, x_hat, quadrature)
    return alpha * chi * (chi + x_hat) * float(np.sum(s["P"] * s["d1"] ** 2)) - 1.0


def _replicon(chi, x_hat, alpha, quadrature):
    s = _state(chi, x_hat, quadrature)
    r = chi * s["d2"] / (1.0 + chi * s["d2"])
    return alpha * float(np.sum(s["P"] * r * r)) - 1.0


def _chi_at(x_hat, alpha, quadrature) -> float:
    f = lambda lc: _saddle(np.exp(lc), x_hat, alpha, quadrature)  # noqa: E731
    lo, hi = np.log(1e-4), np.log(2.0)
    if f(lo) * f(hi) > 0:
        raise DivergenceError(
            f"threshold_states: no saddle point in chi at alpha={alpha}, x_hat={x_hat}"
        )
    return float(np.exp(brentq(f, lo, hi, xtol=1e-12)))


@dataclass(frozen=True)
class ThresholdState:
    """Marginal 1RSB state at sample ratio ``alpha``: χ, x̂, the (s, T) law and its BBP criterion."""

    alpha: float
    chi: float
    x_hat: float
    law: SpectralLaw
    criterion: float
    mu_L: float
    jump_term: float
    energy: float
    complexity: float


def threshold_state(alpha: float, *, quadrature=QUADRATURE) -> ThresholdState:
    """Solve the zero-temperature marginal 1RSB equations at ``alpha`` (module docstring).

    Parameters
    ----------
    alpha : float
        Sample ratio n/N (> 1).
    quadrature : tuple of int
        (y panels, Gauss–Legendre nodes per y panel, h panels, nodes per h panel).

    Returns
    -------
    ThresholdState
        With ``law`` the discrete joint law of (s, T = 4y² − 12ŷ²) (s ≥ 0 nodes; only s² and
        T enter), ``criterion`` the Lu–Li outlier criterion δ g(λ̄) − 1 at δ = alpha,
        ``mu_L`` = α⟨ŷ ℓ'⟩ (spherical multiplier), ``jump_term`` = (2α/χ) E_y[u0 ρ_y(0)], the
        energy per dimension e = −∂G/∂x̂ = α⟨M⟩ − 1/(2(χ + x̂)) and the complexity Σ = G + x̂ e.
    """
    alpha = positive("alpha", alpha)
    if alpha <= 1.0:
        raise ParameterError(f"alpha must be > 1 (minima at zero loss exist below), got {alpha!r}")
    quadrature = _check_quadrature(quadrature)
    f = lambda lx: _replicon(_chi_at(np.exp(lx), alpha, quadrature), np.exp(lx), alpha, quadrature)  # noqa: E731
    lo, hi = np.log(1e-4), np.log(50.0)
    if f(lo) * f(hi) > 0:
        raise DivergenceError(f"threshold_states: no marginal x_hat in [1e-4, 50] at alpha={alpha}")
    x_hat = float(np.exp(brentq(f, lo, hi, xtol=1e-11)))
    chi = _chi_at(x_hat, alpha, quadrature)
    s = _state(chi, x_hat, quadrature)
    nd = s["nodes"]
    T = -s["d2"]
    weights = s["P"] / s["P"].sum()
    law = SpectralLaw(
        s=np.broadcast_to(nd.y, T.shape).ravel().copy(),
        T=T.ravel(),
        weights=weights.ravel(),
        tau=1.0 / chi,
    )
    crit = lu_li_outlier(law, alpha)["criterion"]
    mu_l = alpha * float(np.sum(weights * s["u"] * s["d1"]))
    # jump of u* at h = 0 for 4 chi y^2 > 1: u0 = sqrt(y^2 - 1/(4 chi)), density of h at 0
    y = nd.y[:, 0]
    u0 = np.sqrt(np.maximum(y**2 - 1.0 / (4.0 * chi), 0.0))
    M0 = (y**2 - u0**2) ** 2 + u0**2 / (2.0 * chi)
    rho0 = (
        (2.0 / np.sqrt(2.0 * np.pi)) / 2.0 * np.exp(-x_hat * M0 - s["log_Z"])
    )  # density on h in R
    jump = 2.0 * alpha / chi * float(np.sum(nd.w_y[:, 0] * u0 * rho0))
    energy = alpha * float(np.sum(weights * s["M"])) - 0.5 / (chi + x_hat)
    G = 0.5 * np.log1p(x_hat / chi) + alpha * float(np.sum(nd.w_y[:, 0] * s["log_Z"]))
    return ThresholdState(
        alpha=alpha,
        chi=chi,
        x_hat=x_hat,
        law=law,
        criterion=float(crit),
        mu_L=mu_l,
        jump_term=jump,
        energy=energy,
        complexity=G + x_hat * energy,
    )


def hessian_edge_offset(state: ThresholdState) -> dict:
    """Lu–Li smallest bulk edge of the tangent Hessian −α D_T − μ_L of a threshold state,
    beside the jump term it must equal (module docstring); both ~0.2 in units where the
    bulk spans O(α)."""
    out = lu_li_outlier(state.law, state.alpha)
    return dict(
        edge=-state.alpha * out["bulk_edge"] - state.mu_L,
        jump_term=state.jump_term,
        lambda_bar_minus_tau=out["lambda_bar"] - state.law.tau,
    )


def alpha_gd(
    alpha_low: float = 8.0, alpha_high: float = 20.0, *, xtol: float = 1e-3, quadrature=QUADRATURE
) -> float:
    """Zero of the BBP criterion of threshold states in [alpha_low, alpha_high] (brentq).

    Below it the marginal minima have no unstable direction toward the signal; above it they
    do (the paper's gradient-flow threshold, N → ∞).
    """
    alpha_low, alpha_high = positive("alpha_low", alpha_low), positive("alpha_high", alpha_high)
    if not 1.0 < alpha_low < alpha_high:
        raise ParameterError(f"need 1 < alpha_low < alpha_high, got {alpha_low!r}, {alpha_high!r}")
    xtol = positive("xtol", xtol)
    f = lambda a: threshold_state(a, quadrature=quadrature).criterion  # noqa: E731
    flo, fhi = f(alpha_low), f(alpha_high)
    if flo * fhi > 0:
        raise DivergenceError(
            f"alpha_gd: the BBP criterion has the same sign at alpha={alpha_low} ({flo:.3g}) "
            f"and alpha={alpha_high} ({fhi:.3g})"
        )
    return float(brentq(f, alpha_low, alpha_high, xtol=xtol))
