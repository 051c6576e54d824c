"""Gaussian-mixture classification with a single-layer network: the one definition.

Mignacco, Krzakala, Urbani, Zdeborová, *Dynamical mean-field theory for stochastic
gradient descent in Gaussian mixture classification* (NeurIPS 2020, arXiv:2006.06098),
Sec. 2; ``docs/gaussian_mixture.md``.

Data: ``x_mu = c_mu v*/sqrt(p) + sqrt(Delta) z_mu`` with ``v* = (1, ..., 1)``,
``z_mu ~ N(0, I_p)``, ``mu = 1..n``, ``alpha = n/p``.  The pre-activation of the
network is ``r = w.x/sqrt(p)``.

* two clusters: ``c = +-1`` w.p. 1/2, label ``y = c``, output ``phi(r) = r``;
* three clusters: ``c = 0`` w.p. 1/2 (label ``y = -1``) or ``c = +-1`` w.p. 1/4 each
  (label ``y = +1``), output ``phi(r) = r^2 - L^2``.

Prediction ``sgn(phi(r))``.  The loss of one sample is ``Lambda(y, r) = ell(y, phi(r))``
with ``ell`` one of

* ``logistic``: ``log(1 + exp(-y phi))``, the paper's cross-entropy loss on the
  pre-activation (with labels ``{0, 1}`` the paper's ``-y phi + log(1 + e^phi)`` is the
  same function of ``phi`` as ``log(1 + e^{-y phi})`` with ``y = +-1``);
* ``square``: ``(y - phi)^2 / 2``;
* ``hinge``: ``max(0, 1 - y phi)`` (simulations only: its second derivative is a Dirac
  mass, which the sampled DMFT cannot represent);
* ``smooth_hinge``: ``softplus(beta (1 - y phi)) / beta``, the hinge smoothed on the scale
  ``1/beta`` (``sharpness`` beta); the DMFT of the hinge is its limit beta -> infinity
  (:func:`.dmft.hinge_dmft`).

Derivatives ``Lambda'``, ``Lambda''`` are with respect to ``r`` (chain rule through
``phi``).  The logistic loss is evaluated with ``logaddexp``/``expit``-stable formulas,
since margins grow without bound at ``lambda = 0``.

Order parameters ``m = w.v*/p`` and ``C = |w|^2/p`` (full norm); the generalisation
error on fresh Gaussian test data is a closed function of ``(m, C)``
(:func:`generalisation_error`), used by both the simulations and the DMFT.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, erfc

from highdim_dynamics.core.jit import jit
from highdim_dynamics.core.validation import (
    Choice,
    FiniteArray,
    ParameterError,
    Real,
    choice,
    constrained,
    in_interval,
    nonnegative,
    positive,
    step_bound,
)

#: Loss names and their integer codes in the kernels.
LOSSES = {"logistic": 0, "square": 1, "hinge": 2, "smooth_hinge": 3}
#: Losses whose second derivative is a function (usable by the DMFT).
SMOOTH_LOSSES = ("logistic", "square", "smooth_hinge")
#: Algorithms: full-batch GD, i.i.d. mini-batch SGD, persistent (Markov) SGD.
ALGORITHMS = ("gd", "sgd", "persistent_sgd")


# ----------------------------------------------------------------------------- losses
@jit
def _sigmoid(x):
    """Numerically stable logistic function 1/(1+e^{-x})."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@jit
def _softplus(x):
    """log(1 + e^x) without overflow (= logaddexp(0, x))."""
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))


@jit
def ell_derivatives(loss, y, phi, beta):
    """(ell, d ell/d phi, d^2 ell/d phi^2) of the loss with code ``loss`` at label y = +-1
    (``beta``: sharpness of the smoothed hinge, unused by the other losses)."""
    if loss == 0:  # logistic: log(1 + exp(-y phi))
        u = y * phi
        return _softplus(-u), -y * _sigmoid(-u), _sigmoid(u) * _sigmoid(-u)
    elif loss == 1:  # square
        return 0.5 * (y - phi) ** 2, phi - y, 1.0
    elif loss == 3:  # smoothed hinge: softplus(beta (1 - y phi)) / beta
        u = beta * (1.0 - y * phi)
        return _softplus(u) / beta, -y * _sigmoid(u), beta * _sigmoid(u) * _sigmoid(-u)
    else:  # hinge
        u = 1.0 - y * phi
        if u > 0.0:
            return u, -y, 0.0
        return 0.0, 0.0, 0.0


@jit
def sample_loss(loss, clusters, ell2, beta, y, r):
    """(Lambda, Lambda', Lambda'') with respect to the pre-activation r.

    ``clusters`` is 2 (phi = r) or 3 (phi = r^2 - L^2 with ``ell2 = L^2``); ``beta`` is
    the sharpness of the smoothed hinge.
    """
    if clusters == 2:
        return ell_derivatives(loss, y, r, beta)
    phi = r * r - ell2
    v, d1, d2 = ell_derivatives(loss, y, phi, beta)
    return v, 2.0 * r * d1, 4.0 * r * r * d2 + 2.0 * d1


@jit
def misclassified(clusters, ell2, y, r):
    """1.0 if sgn(phi(r)) differs from y (a zero output counts as an error), else 0.0."""
    phi = r if clusters == 2 else r * r - ell2
    return 1.0 if y * phi <= 0.0 else 0.0


# ------------------------------------------------------------------ generalisation error
@constrained(
    dict(
        m=FiniteArray(),
        C=FiniteArray(ge=0.0),
        delta=Real(gt=0),
        clusters=Choice(2, 3),
        L=Real(gt=0),
    )
)
def generalisation_error(m, C, delta: float, clusters: int = 2, L: float = 0.7):
    """Exact test error of the classifier with overlaps ``m = w.v*/p``, ``C = |w|^2/p``.

    For a fresh sample ``r = c m + sqrt(Delta C) N(0, 1)`` (arXiv:2006.06098, Sec. 2):

    * 2 clusters: ``eps = erfc(m / sqrt(2 Delta C)) / 2``;
    * 3 clusters: ``eps = erfc(L/s)/2 + [erf((L - m)/s) + erf((L + m)/s)]/4`` with
      ``s = sqrt(2 Delta C)``.

    ``C = 0`` (the zero weight vector) predicts 0 for every input: error 1/2 (2 clusters)
    and 1/2 (3 clusters: the ``c = +-1`` half is wrong).

    Examples
    --------
    >>> from highdim_dynamics.gaussian_mixture import generalisation_error
    >>> generalisation_error([0.5, 1.0], 1.0, 0.5).round(5)   # erfc(m/√(2ΔC))/2
    array([0.23975, 0.07865])
    """
    m = np.asarray(m, dtype=float)
    C = np.asarray(C, dtype=float)
    s = np.sqrt(2.0 * delta * np.maximum(C, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        if clusters == 2:
            out = np.where(s > 0, 0.5 * erfc(m / s), 0.5)
        else:
            out = np.where(
                s > 0, 0.5 * erfc(L / s) + 0.25 * (erf((L - m) / s) + erf((L + m) / s)), 0.5
            )
    return out


def hebbian_one_step_error(alpha: float, delta: float) -> float:
    """Error of one GD step from w = 0 on 2 clusters: ``erfc(sqrt(alpha/(2 Delta (alpha + Delta))))/2``.

    The first step is the Hebbian estimator ``sum_mu y_mu x_mu``, for any loss with
    ``Lambda'(y, 0)`` proportional to ``-y``; it is Bayes-optimal (closed-form check of ``gd_two_clusters_init_variance``).

    Examples
    --------
    >>> from highdim_dynamics.gaussian_mixture import hebbian_one_step_error
    >>> round(hebbian_one_step_error(2.0, 0.5), 5)
    0.10295
    """
    alpha = positive("alpha", alpha)
    delta = positive("delta", delta)
    return float(0.5 * erfc(math.sqrt(alpha / (2.0 * delta * (alpha + delta)))))


# ------------------------------------------------------------------------- validation
def validate_problem(alpha, delta, lam, loss, clusters, L):
    """Validate the model parameters; return them normalised (named ParameterError)."""
    alpha = positive("alpha", alpha)
    delta = positive("delta", delta)
    lam = nonnegative("lam", lam)
    loss = choice("loss", loss, LOSSES)
    if clusters not in (2, 3) or isinstance(clusters, bool):
        raise ParameterError(f"clusters must be 2 or 3, got {clusters!r}")
    L = positive("L", L)
    return alpha, delta, lam, loss, int(clusters), L


def validate_sharpness(loss, sharpness) -> float:
    """The sharpness beta of ``smooth_hinge`` (required, > 0); 1.0 for the other losses."""
    if loss == "smooth_hinge":
        if sharpness is None:
            raise ParameterError("sharpness must be given (> 0) for loss 'smooth_hinge', got None")
        return positive("sharpness", sharpness)
    if sharpness is not None:
        raise ParameterError(
            f"sharpness is only used by loss 'smooth_hinge', got {sharpness!r} with {loss!r}"
        )
    return 1.0


#: |w|²/p beyond which a run has diverged (a stable run stays O(1 + R + m0²), up to the
#: logarithmic growth of the logistic loss on separable data).
DIVERGED_C = 1e8
#: Largest Lambda'' of each loss with respect to the output (hinge: 0 outside a kink).
#: The smoothed hinge (sharpness beta) has sup Lambda'' = beta/4 but only on the O(1/beta)
#: fraction of samples at the kink, like the hinge: no a-priori bound, the divergence check
#: during compute guards it.
_MAX_CURVATURE = {"logistic": 0.25, "square": 1.0, "hinge": 0.0, "smooth_hinge": 0.0}


def max_stable_step(alpha, delta, lam=0.0, loss="logistic", clusters=2) -> float:
    """Largest stable learning rate of (full-batch) GD on the empirical loss, 2/λ_max.

    The Hessian (1/p) Σ Λ'' x x^T + λ I of the two-cluster loss has λ_max ≤ λ +
    sup Λ'' (√Δ (1 + √α) + √α)²: the Marchenko–Pastur edge of the noise plus the cluster
    mean, by the triangle inequality on ‖X‖/√p (Mignacco et al. 2020, Sec. 2 normalisation).
    Returns ``inf`` where Λ'' is not bounded by a constant (three clusters: φ = r² − L²)
    or vanishes (hinge).
    """
    if clusters != 2:
        return math.inf
    curvature = (
        lam
        + _MAX_CURVATURE[loss] * (math.sqrt(delta) * (1 + math.sqrt(alpha)) + math.sqrt(alpha)) ** 2
    )
    return 2.0 / curvature if curvature > 0 else math.inf


def check_step(eta, alpha, delta, lam=0.0, loss="logistic", clusters=2) -> float:
    """Refuse a learning rate above :func:`max_stable_step` (a ParameterError naming eta)."""
    return step_bound(
        "eta",
        eta,
        max_stable_step(alpha, delta, lam, loss, clusters),
        f"2/λ_max of the Hessian of the {loss} loss at alpha = {alpha!r}, "
        f"delta = {delta!r}, lam = {lam!r}",
    )


def validate_algorithm(algorithm, eta, b, tau):
    """Validate (algorithm, eta, b, tau) and return them with defaults filled in.

    ``gd`` forces ``b = 1``; ``sgd`` uses ``tau = eta/b`` (the i.i.d. selection);
    ``persistent_sgd`` needs ``tau >= max(eta, (1 - b) eta / b)`` so that both switching
    probabilities ``eta/tau`` and ``(1 - b) eta/(b tau)`` are at most 1.
    """
    algorithm = choice("algorithm", algorithm, ALGORITHMS)
    eta = positive("eta", eta)
    if algorithm == "gd":
        if b is not None and in_interval("b", b, 0.0, 1.0, closed="right") != 1.0:
            raise ParameterError(f"b must be 1 for algorithm 'gd', got {b!r}")
        b = 1.0
    else:
        if b is None:
            raise ParameterError(f"b must be given for algorithm {algorithm!r}")
        b = in_interval("b", b, 0.0, 1.0, closed="right")
    if algorithm == "persistent_sgd":
        if tau is None:
            raise ParameterError("tau must be given for algorithm 'persistent_sgd'")
        tau = positive("tau", tau)
        bound = max(eta, (1.0 - b) * eta / b)
        if tau < bound * (1.0 - 1e-12):
            raise ParameterError(
                f"tau must be >= max(eta, (1-b) eta/b) = {bound!r} for persistent SGD, got {tau!r}"
            )
    else:
        tau = eta / b
    return algorithm, eta, b, tau


def switching_thresholds(algorithm, eta, b, tau):
    """Thresholds ``(a0, a1)``: next selection is ``u < a0`` if unselected, ``u < a1`` if selected.

    Persistent SGD: ``a0 = P(0->1) = eta/tau``, ``a1 = 1 - P(1->0) = 1 - (1-b) eta/(b tau)``.
    With ``tau = eta/b`` both equal ``b``: the chain is i.i.d. Bernoulli(b), i.e. SGD, and
    with the same uniforms it draws exactly the same selections.
    """
    if algorithm == "gd":
        return 2.0, 2.0
    if algorithm == "sgd":
        return b, b
    return eta / tau, 1.0 - (1.0 - b) * eta / (b * tau)


def draw_selection(
    rng: np.random.Generator, n: int, steps: int, algorithm, eta, b, tau, stratified: bool = False
) -> np.ndarray:
    """Selection variables ``s[k, mu]`` (uint8) for ``steps`` steps of ``n`` samples.

    ``s[0] ~ Bernoulli(b)``; then the two-state Markov chain of :func:`switching_thresholds`
    (GD: all ones; SGD: i.i.d. Bernoulli(b)).  One uniform per sample and step is drawn in
    every case, so SGD and persistent SGD with ``tau = eta/b`` see identical selections.

    ``stratified=True`` (used by the DMFT's sampled paths: a variance reduction that keeps
    every path's law) replaces independent switches by exact counts: among the ``n_g``
    paths in a given state, ``floor(q n_g)`` or ``floor(q n_g) + 1`` of them (randomised
    rounding, so each path switches with probability exactly ``q``) chosen uniformly at
    random switch; the initial state likewise selects ``b n`` paths.
    """
    s = np.empty((steps, n), dtype=np.uint8)
    if algorithm == "gd":
        s[:] = 1
        return s
    a0, a1 = switching_thresholds(algorithm, eta, b, tau)
    u = rng.random((steps, n))
    if not stratified:
        s[0] = u[0] < b
        for k in range(1, steps):
            s[k] = np.where(s[k - 1] == 1, u[k] < a1, u[k] < a0)
        return s
    extra = rng.random((steps, 2))
    s[0] = _exact_count(u[0], b, extra[0, 0])
    iid = abs(a0 - a1) <= 1e-12  # SGD, or persistent SGD at tau = eta/b
    for k in range(1, steps):
        if iid:
            s[k] = _exact_count(u[k], b, extra[k, 0])
            continue
        prev = s[k - 1] == 1
        out = np.empty(n, dtype=bool)
        out[prev] = _exact_count(u[k][prev], a1, extra[k, 1])
        out[~prev] = _exact_count(u[k][~prev], a0, extra[k, 0])
        s[k] = out
    return s


def _exact_count(u: np.ndarray, q: float, v: float) -> np.ndarray:
    """Boolean mask selecting the ``floor(q n) + [v < frac(q n)]`` smallest entries of ``u``."""
    n = u.shape[0]
    x = min(max(q, 0.0), 1.0) * n
    k = int(np.floor(x)) + (1 if v < x - np.floor(x) else 0)
    mask = np.zeros(n, dtype=bool)
    if k > 0:
        mask[np.argsort(u, kind="stable")[:k]] = True
    return mask


def draw_clusters(rng: np.random.Generator, n: int, clusters: int):
    """Cluster memberships ``c`` and labels ``y`` (float arrays) of ``n`` samples."""
    if clusters == 2:
        c = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        return c, c.copy()
    u = rng.random(n)
    c = np.where(u < 0.5, 0.0, np.where(u < 0.75, -1.0, 1.0))
    y = np.where(c == 0.0, -1.0, 1.0)
    return c, y
