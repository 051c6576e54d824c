"""Real phase retrieval with a spherical student: data, loss, gradient, tangent Hessian.

Conventions (arXiv:2006.06997, Sec. 2):

* sensing vectors X_mu in R^p with i.i.d. N(0, 1/p) entries, mu = 1..n, n = round(alpha p);
* signal w* ~ N(0, I_p) rescaled to |w*|^2 = p, labels y_mu = |X_mu . w*|;
* student w on the sphere |w|^2 = p, predictions yhat_mu = X_mu . w;
* loss L(w) = sum_mu (y_mu^2 - yhat_mu^2)^2, gradient 4 X^T [yhat (yhat^2 - y^2)],
  Hessian sum_mu (12 yhat_mu^2 - 4 y_mu^2) X_mu X_mu^T;
* on the sphere the Riemannian gradient is P grad L and the tangent Hessian is
  P (Hess L - mu_L I) P with the Lagrange multiplier mu_L = w . grad L / p and P the
  projector orthogonal to w;
* normalised overlap m = w . w* / p in [-1, 1] (success is judged on |m|: the sign of the
  signal is not identifiable).

All functions accept one student ``w`` of shape (p,) or a batch ``W`` of shape (p, R)
(one initial condition per column), so a batch costs BLAS-3 products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from highdim_dynamics.core.validation import ParameterError, integer, positive


def n_samples(p: int, alpha: float) -> int:
    """Number of measurements n = round(alpha p) (at least 1)."""
    p = integer("p", p, minimum=2)
    alpha = positive("alpha", alpha)
    return max(1, int(round(alpha * p)))


@dataclass(frozen=True)
class PhaseRetrievalInstance:
    """One instance of real phase retrieval.

    Attributes
    ----------
    X : ndarray, shape (n, p)
        Sensing matrix, entries N(0, 1/p).
    w_star : ndarray, shape (p,)
        Signal with |w*|^2 = p.
    y : ndarray, shape (n,)
        Labels y = |X w*|.
    """

    X: np.ndarray
    w_star: np.ndarray
    y: np.ndarray

    @property
    def p(self) -> int:
        return self.X.shape[1]

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def alpha(self) -> float:
        return self.n / self.p


def sample_instance(p: int, alpha: float, rng: np.random.Generator) -> PhaseRetrievalInstance:
    """Draw X, w* and y = |X w*| for given ``p`` and ``alpha = n/p``.

    Raises :class:`~highdim_dynamics.core.validation.ParameterError` if ``p < 2`` or
    ``alpha <= 0``.
    """
    n = n_samples(p, alpha)
    X = rng.standard_normal((n, p)) / np.sqrt(p)
    w_star = rng.standard_normal(p)
    w_star *= np.sqrt(p) / np.linalg.norm(w_star)
    return PhaseRetrievalInstance(X=X, w_star=w_star, y=np.abs(X @ w_star))


def random_sphere_points(p: int, n_points: int, rng: np.random.Generator) -> np.ndarray:
    """``n_points`` columns drawn uniformly on the sphere |w|^2 = p (shape (p, n_points))."""
    W = rng.standard_normal((p, n_points))
    return W * (np.sqrt(p) / np.linalg.norm(W, axis=0))


def loss(instance: PhaseRetrievalInstance, W: np.ndarray) -> np.ndarray:
    """L(w) = sum_mu (y_mu^2 - (X_mu . w)^2)^2, per column of ``W``."""
    yhat = instance.X @ W
    y2 = instance.y**2 if yhat.ndim == 1 else (instance.y**2)[:, None]
    return np.sum((y2 - yhat**2) ** 2, axis=0)


def gradient(instance: PhaseRetrievalInstance, W: np.ndarray) -> np.ndarray:
    """Euclidean gradient 4 X^T [yhat (yhat^2 - y^2)], per column of ``W``."""
    yhat = instance.X @ W
    y2 = instance.y**2 if yhat.ndim == 1 else (instance.y**2)[:, None]
    return 4.0 * (instance.X.T @ (yhat * (yhat**2 - y2)))


def overlap(instance: PhaseRetrievalInstance, W: np.ndarray) -> np.ndarray:
    """Normalised overlap m = w . w* / p in [-1, 1], per column of ``W``."""
    return (instance.w_star @ W) / instance.p


def tangent_basis(w: np.ndarray) -> np.ndarray:
    """Orthonormal basis (p, p-1) of the plane orthogonal to ``w`` (Householder reflection)."""
    p = w.shape[0]
    u = w / np.linalg.norm(w)
    e = np.zeros(p)
    e[0] = 1.0
    v = u - e if u[0] <= 0 else u + e
    v /= np.linalg.norm(v)
    H = np.eye(p) - 2.0 * np.outer(v, v)  # reflection mapping u to -+e_0
    return H[:, 1:]


def tangent_hessian(
    instance: PhaseRetrievalInstance, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Tangent Hessian of L on the sphere at ``w`` in an orthonormal basis of w-perp.

    Returns ``(H_t, basis)`` with ``H_t = B^T (sum_mu l''_mu X_mu X_mu^T - mu_L I) B``,
    l'' = 12 yhat^2 - 4 y^2, mu_L = w . grad L / |w|^2, and ``basis = B`` of shape (p, p-1).
    A critical point is a local minimum iff the smallest eigenvalue of ``H_t`` is > 0.
    """
    X, y = instance.X, instance.y
    w = np.asarray(w, dtype=float)
    yhat = X @ w
    grad = 4.0 * (X.T @ (yhat * (yhat**2 - y**2)))
    mu_l = float(w @ grad) / float(w @ w)
    B = tangent_basis(w)
    XB = X @ B
    c = 12.0 * yhat**2 - 4.0 * y**2
    H = XB.T @ (c[:, None] * XB) - mu_l * np.eye(B.shape[1])
    return 0.5 * (H + H.T), B


def check_success_threshold(name: str, value) -> float:
    """A success threshold on the overlap: a number strictly inside (0, 1)."""
    from highdim_dynamics.core.validation import in_interval

    return in_interval(name, value, 0.0, 1.0)


__all__ = [
    "PhaseRetrievalInstance",
    "ParameterError",
    "n_samples",
    "sample_instance",
    "random_sphere_points",
    "loss",
    "gradient",
    "overlap",
    "tangent_basis",
    "tangent_hessian",
    "check_success_threshold",
]
