"""Quadratic-network teacher-student model (arXiv:2006.15459, Sec. 2).

Inputs x_mu ~ N(0, I_d / d), mu = 1..n = round(alpha d); teacher
A* = (1/m*) sum_{a <= m*} w*_a w*_a^T with w*_a ~ N(0, I_d); labels y_mu = x_mu^T A* x_mu.
A student with m hidden units W (m x d) predicts yhat = x^T A x with A = W^T W / m.
"""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import ParameterError, integer


def teacher_rank(name: str, m_star, d: int) -> int:
    """Validate a teacher width: an integer >= 1, or ``"full"`` (= 4 d).

    The teacher A* = (1/m*) sum_a w*_a w*_a^T has rank min(m*, d).  ``"full"`` takes
    m* = 4 d: a full-rank teacher whose smallest eigenvalue stays of order one
    ((1 - 1/2)^2 = 1/4 by Marchenko-Pastur), so that its exponential convergence rate is
    not hidden by the near-zero eigenvalues of a square Wishart matrix (m* = d).
    """
    if isinstance(m_star, str):
        if m_star == "full":
            return 4 * d
        raise ParameterError(f"{name} must be an integer >= 1 or 'full', got {m_star!r}")
    return integer(name, m_star, minimum=1)


def sample_teacher(d: int, m_star: int, rng: np.random.Generator) -> np.ndarray:
    """A* = (1/m*) sum_a w*_a w*_a^T with w*_a ~ N(0, I_d)."""
    Ws = rng.standard_normal((m_star, d))
    return Ws.T @ Ws / m_star


def sample_inputs(d: int, alpha: float, rng: np.random.Generator) -> np.ndarray:
    """n = round(alpha d) inputs x_mu ~ N(0, I_d / d) as rows."""
    n = max(1, int(round(alpha * d)))
    return rng.standard_normal((n, d)) / np.sqrt(d)


def labels(X: np.ndarray, A: np.ndarray) -> np.ndarray:
    """y_mu = x_mu^T A x_mu."""
    return np.einsum("ni,ij,nj->n", X, A, X)


def sample_instance(d: int, m_star: int, alpha: float, rng: np.random.Generator):
    """One instance: teacher A* (:func:`sample_teacher`), inputs X and labels y, in this order.

    Examples
    --------
    >>> import numpy as np
    >>> from highdim_dynamics.quadratic_network import sample_instance
    >>> A, X, y = sample_instance(5, 1, 2.0, np.random.default_rng(0))
    >>> A.shape, X.shape, int(np.linalg.matrix_rank(A)), bool(np.all(y >= 0))
    ((5, 5), (10, 5), 1, True)
    """
    A = sample_teacher(d, m_star, rng)
    X = sample_inputs(d, alpha, rng)
    return A, X, labels(X, A)
