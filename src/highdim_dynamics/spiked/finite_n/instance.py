"""Finite-N instances of the spiked matrix-tensor (2+p) model: energy, gradients, Hessians.

Conventions (PRX 2020 Sec. II): the signal
x* and the estimate x live on the sphere |x|² = N and

    Y_ij            = x*_i x*_j/√N + ξ_ij,                           Var ξ_ij = Δ2,  i < j,
    T_{i1<…<ip}     = √((p−1)!)/N^((p−1)/2) x*_{i1}…x*_{ip} + ξ,       Var ξ = Δp,
    H(x) = − 1/(Δ2 √N) Σ_{i<j} Y_ij x_i x_j
           − √((p−1)!)/(Δp N^((p−1)/2)) Σ_{i1<…<ip} T_{i1…ip} x_{i1}…x_{ip}.

With these conventions E H(x) = −N Q(m) + O(1) (m = x·x*/N) and the noise part of H has
covariance N Q(x·y/N) + O(1) with Q from :mod:`highdim_dynamics.spiked.model`.

Storage (what the kernels take):

* ``matrix_couplings`` A: dense symmetric N×N with zero diagonal,
  A_ij = A_ji = Y_ij/(Δ2 √N), so that H2(x) = −½ xᵀ A x;
* ``tensor_couplings`` c: a 1-D array of length C(N, p) holding, in lexicographic order of
  (i1 < i2 < … < ip), c = √((p−1)!)/(Δp N^((p−1)/2)) · T_{i1…ip}, so that
  Hp(x) = −Σ_{i1<…<ip} c x_{i1}…x_{ip}.  Only distinct indices are stored, which is the
  i1<…<ip convention of PRX 2020, Sec. II (no 1/p! to remember) at 1/p! of the memory of a full
  symmetric array.  The contraction kernels walk the (p−1)-prefixes in lexicographic
  order with the last index innermost, so the array is read once, contiguously.

Riemannian quantities on the sphere of radius √N (Lagrange multiplier μ = x·∇H/N):

    grad_S H = ∇H − μ x,        Hess_S H = P (∇²H − μ I) P,  P = I − x xᵀ/N,

and :meth:`SpikedInstance.riemannian_hessian` returns the (N−1)×(N−1) matrix of
Hess_S H in an orthonormal basis of the tangent plane (no spurious zero mode along x).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from highdim_dynamics.core.jit import jit
from highdim_dynamics.core.validation import ParameterError, integer, require_finite
from highdim_dynamics.spiked.model import SpikedMatrixTensor

__all__ = [
    "SpikedInstance",
    "draw_instance",
    "energy_and_gradient",
    "tensor_sum_and_gradient",
    "tensor_hessian",
    "tangent_basis",
]


# --------------------------------------------------------------------------- kernels
@jit
def _next_prefix(idx, n):
    """Advance ``idx`` (a strictly increasing (p−1)-tuple of range(n)) lexicographically.

    Returns False when the last combination has been passed.
    """
    k = idx.shape[0]
    r = k - 1
    while r >= 0 and idx[r] == n - k + r:
        r -= 1
    if r < 0:
        return False
    idx[r] += 1
    for s in range(r + 1, k):
        idx[s] = idx[s - 1] + 1
    return True


@jit
def _fill_tensor_monomials(x, p, scale, out):
    """out[ℓ] = scale · x_{i1}…x_{ip} for the ℓ-th combination i1<…<ip (lexicographic)."""
    n = x.shape[0]
    idx = np.arange(p - 1)
    ptr = 0
    while True:
        a = scale
        for r in range(p - 1):
            a *= x[idx[r]]
        for k in range(idx[p - 2] + 1, n):
            out[ptr] = a * x[k]
            ptr += 1
        if not _next_prefix(idx, n):
            break
    return ptr


@jit
def tensor_sum_and_gradient(x, couplings, p, grad):
    """S(x) = Σ_{i1<…<ip} c x_{i1}…x_{ip}; writes ∂S/∂x into ``grad`` and returns S.

    One contiguous pass over the packed couplings: for each prefix (i1<…<i_{p−1}) with
    product a, the row of couplings c_k (k > i_{p−1}) gives s = Σ_k c_k x_k (four
    interleaved partial sums in a fixed order: deterministic, and not limited by the
    latency of one addition chain) and grad[k] += c_k·a (a separate loop that the
    compiler vectorises); then grad[i_r] += (a / x_{i_r}) · s, the prefix product with
    factor r left out (computed without division).  Cost 2·C(N, p) multiply-adds.
    """
    n = x.shape[0]
    m = p - 1
    for i in range(n):
        grad[i] = 0.0
    idx = np.arange(m)
    excl = np.empty(m)
    total = 0.0
    ptr = 0
    while True:
        last = idx[m - 1]
        if last < n - 1:
            a = 1.0
            for r in range(m):
                a *= x[idx[r]]
            for r in range(m):
                e = 1.0
                for s in range(m):
                    if s != r:
                        e *= x[idx[s]]
                excl[r] = e
            length = n - last - 1
            cs = couplings[ptr : ptr + length]
            xs = x[last + 1 :]
            gs = grad[last + 1 :]
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            s3 = 0.0
            k = 0
            while k + 3 < length:
                s0 += cs[k] * xs[k]
                s1 += cs[k + 1] * xs[k + 1]
                s2 += cs[k + 2] * xs[k + 2]
                s3 += cs[k + 3] * xs[k + 3]
                k += 4
            while k < length:
                s0 += cs[k] * xs[k]
                k += 1
            for k in range(length):
                gs[k] += cs[k] * a
            ptr += length
            acc = (s0 + s1) + (s2 + s3)
            total += a * acc
            for r in range(m):
                grad[idx[r]] += excl[r] * acc
        if not _next_prefix(idx, n):
            break
    return total


@jit
def energy_and_gradient(x, matrix_couplings, tensor_couplings, p, grad):
    """Energies (H2, Hp) of the 2+p model at x; writes the Euclidean gradient ∇H in ``grad``.

    H2 = −½ xᵀ A x and Hp = −S(x) with the packed couplings (module docstring); the total
    energy is H2 + Hp.  ``grad`` is overwritten.  This is the kernel to call from other
    numba loops (Langevin, gradient descent).
    """
    n = x.shape[0]
    s = tensor_sum_and_gradient(x, tensor_couplings, p, grad)
    h2 = 0.0
    for i in range(n):
        row = 0.0
        for j in range(n):
            row += matrix_couplings[i, j] * x[j]
        h2 += x[i] * row
        grad[i] = -grad[i] - row
    return -0.5 * h2, -s


@jit
def tensor_hessian(x, couplings, p, out):
    """Write ∂²S/∂x∂x (S as in :func:`tensor_sum_and_gradient`) into the N×N array ``out``."""
    n = x.shape[0]
    m = p - 1
    for i in range(n):
        for j in range(n):
            out[i, j] = 0.0
    idx = np.arange(m)
    excl = np.empty(m)
    excl2 = np.empty((m, m))
    ptr = 0
    while True:
        last = idx[m - 1]
        if last < n - 1:
            for r in range(m):
                e = 1.0
                for s in range(m):
                    if s != r:
                        e *= x[idx[s]]
                excl[r] = e
                for q in range(m):
                    e2 = 1.0
                    for s in range(m):
                        if s != r and s != q:
                            e2 *= x[idx[s]]
                    excl2[r, q] = e2
            acc = 0.0
            for k in range(last + 1, n):
                c = couplings[ptr]
                acc += c * x[k]
                for r in range(m):
                    out[idx[r], k] += c * excl[r]
                ptr += 1
            for r in range(m):
                for q in range(r + 1, m):
                    out[idx[r], idx[q]] += excl2[r, q] * acc
        if not _next_prefix(idx, n):
            break
    # only the upper triangle was filled: symmetrise
    for i in range(n):
        for j in range(i + 1, n):
            out[j, i] = out[i, j]


# --------------------------------------------------------------------------- Python API
def tangent_basis(x: np.ndarray) -> np.ndarray:
    """An orthonormal basis (N × (N−1) columns) of the plane orthogonal to ``x``.

    Columns 1..N−1 of the Householder reflection that maps x/|x| to ±e_0.
    """
    x = np.asarray(x, dtype=float)
    u = x / np.linalg.norm(x)
    sign = 1.0 if u[0] >= 0 else -1.0
    v = u.copy()
    v[0] += sign
    reflection = np.eye(x.size) - 2.0 * np.outer(v, v) / (v @ v)
    return reflection[:, 1:]


@dataclass(frozen=True, eq=False)
class SpikedInstance:
    """One finite-N instance of the 2+p model (see the module docstring for the storage).

    Attributes
    ----------
    model : SpikedMatrixTensor
        The parameters (p, Δ2, Δp).
    x_star : ndarray, shape (N,)
        The planted signal, |x*|² = N.
    matrix_couplings : ndarray, shape (N, N)
        A = Y/(Δ2√N) symmetric with zero diagonal (H2 = −½ xᵀAx).
    tensor_couplings : ndarray, shape (C(N, p),)
        Scaled tensor entries in lexicographic order of i1<…<ip (Hp = −Σ c x…x).
    """

    model: SpikedMatrixTensor
    x_star: np.ndarray
    matrix_couplings: np.ndarray
    tensor_couplings: np.ndarray

    @property
    def n(self) -> int:
        """The dimension N."""
        return self.x_star.shape[0]

    @property
    def p(self) -> int:
        return self.model.p

    def _point(self, x) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=float)
        if x.shape != (self.n,):
            raise ParameterError(f"x must have shape ({self.n},), got {x.shape}")
        return x

    def overlap(self, x) -> float:
        """m = x·x*/N (in [−1, 1] for x on the sphere)."""
        return float(self._point(x) @ self.x_star) / self.n

    def energies(self, x) -> tuple[float, float]:
        """(H2, Hp): matrix and tensor parts of the energy (extensive, not divided by N)."""
        grad = np.empty(self.n)
        h2, hp = energy_and_gradient(
            self._point(x), self.matrix_couplings, self.tensor_couplings, self.p, grad
        )
        return float(h2), float(hp)

    def energy(self, x) -> float:
        """H(x) = H2 + Hp (extensive)."""
        return sum(self.energies(x))

    def gradient(self, x) -> np.ndarray:
        """Euclidean gradient ∇H(x)."""
        grad = np.empty(self.n)
        energy_and_gradient(
            self._point(x), self.matrix_couplings, self.tensor_couplings, self.p, grad
        )
        return grad

    def lagrange_multiplier(self, x) -> float:
        """μ = x·∇H/N (= (2H2 + pHp)/N by homogeneity)."""
        x = self._point(x)
        return float(x @ self.gradient(x)) / self.n

    def riemannian_gradient(self, x) -> np.ndarray:
        """Tangent gradient on the sphere |x|² = N: ∇H − (x·∇H/|x|²) x."""
        x = self._point(x)
        g = self.gradient(x)
        return g - (x @ g) / (x @ x) * x

    def hessian(self, x) -> np.ndarray:
        """Euclidean Hessian ∇²H(x) (dense N×N): −A − ∂²S."""
        x = self._point(x)
        out = np.empty((self.n, self.n))
        tensor_hessian(x, self.tensor_couplings, self.p, out)
        out += self.matrix_couplings
        return -out

    def riemannian_hessian(self, x, basis: np.ndarray | None = None) -> np.ndarray:
        """Hessian on the sphere in an orthonormal tangent basis: Bᵀ(∇²H − μ I)B, μ = x·∇H/|x|².

        Parameters
        ----------
        x : ndarray
            A point of the sphere (its norm is used as given).
        basis : ndarray, optional
            N × (N−1) orthonormal basis of x^⊥ (default :func:`tangent_basis`).
        """
        x = self._point(x)
        mu = float(x @ self.gradient(x)) / float(x @ x)
        b = tangent_basis(x) if basis is None else basis
        h = self.hessian(x)
        out = b.T @ h @ b
        out[np.diag_indices_from(out)] -= mu
        return 0.5 * (out + out.T)

    def signal_tangent_direction(self, x) -> np.ndarray:
        """Unit vector along the projection of x* on the tangent plane at x (in R^N)."""
        x = self._point(x)
        v = self.x_star - (x @ self.x_star) / (x @ x) * x
        return v / np.linalg.norm(v)


def draw_instance(model: SpikedMatrixTensor, n: int, seed, *, x_star=None) -> SpikedInstance:
    """Draw an instance of the 2+p model of size N from a seed.

    Parameters
    ----------
    model : SpikedMatrixTensor
        Parameters (p, Δ2, Δp).
    n : int
        Dimension N ≥ p.
    seed : int or numpy.random.Generator
        Source of randomness.  Draw order (part of the reproducibility contract): x* (N
        normals, unless given), the N(N−1)/2 matrix noises in row-major order of i<j, then
        the C(N, p) tensor noises in lexicographic order.
    x_star : ndarray, optional
        A planted signal to reuse (rescaled to |x*|² = N); drawn uniformly if omitted.

    Returns
    -------
    SpikedInstance
    """
    if not isinstance(model, SpikedMatrixTensor):
        raise ParameterError(f"model must be a SpikedMatrixTensor, got {model!r}")
    p = model.p
    n = integer("n", n, minimum=p)
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(integer("seed", seed, minimum=0))
    )
    if x_star is None:
        g = rng.standard_normal(n)
    else:
        g = np.asarray(x_star, dtype=float)
        if g.shape != (n,) or not np.all(np.isfinite(g)) or not np.any(g):
            raise ParameterError(f"x_star must be a finite non-zero vector of shape ({n},)")
    x_star = np.ascontiguousarray(g * (math.sqrt(n) / np.linalg.norm(g)))

    # matrix channel: Y_ij = x*_i x*_j/√N + √Δ2 ξ_ij (i<j), stored as A = Y/(Δ2√N)
    iu = np.triu_indices(n, k=1)
    y = x_star[iu[0]] * x_star[iu[1]] / math.sqrt(n) + math.sqrt(
        model.delta2
    ) * rng.standard_normal(iu[0].size)
    a = np.zeros((n, n))
    a[iu] = y / (model.delta2 * math.sqrt(n))
    a += a.T

    # tensor channel, packed i1<…<ip: c = √((p−1)!)/(Δp N^((p−1)/2)) · T
    size = math.comb(n, p)
    pref = math.sqrt(math.factorial(p - 1)) / n ** ((p - 1) / 2)
    signal = np.empty(size)
    _fill_tensor_monomials(x_star, p, pref, signal)
    tensor = (signal + math.sqrt(model.delta_p) * rng.standard_normal(size)) * (
        pref / model.delta_p
    )
    require_finite("tensor couplings", tensor)
    return SpikedInstance(model=model, x_star=x_star, matrix_couplings=a, tensor_couplings=tensor)
