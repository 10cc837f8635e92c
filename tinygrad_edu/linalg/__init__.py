"""tg.linalg: PyTorch's torch.linalg, batched over leading dims, with gradients of any order.

Every op takes a matrix or a batch of them, (*, m, n), and works in its dtype
(float32 or float64; float16 only for the norms that are sums and maxima). The
derivatives, G standing for the gradient of the result:

    det(A)               y = det A               dL/dA = G det(A) A^{-T}
    slogdet(A)           (sign, log|det A|)      dL/dA = G A^{-T}   (sign: none)
    inv(A)               Y = A^{-1}              dL/dA = -Y^T G Y^T
    solve(A, B)          X = A^{-1} B            dL/dB = A^{-T} G,  dL/dA = -(dL/dB) X^T
    cholesky(A)          L, A = L L^T            dL/dA = sym(L^{-T} Phi(L^T G) L^{-1})
    eigvalsh(A)          w, A = U diag(w) U^T    dL/dA = U diag(G) U^T
    eigh(A)              (w, U)                  dL/dA from U: U (F o skew(U^T G)) U^T
    svdvals(A)           s, A = U diag(s) V^T    dL/dA = U diag(G) V^T
    pinv(A)              P = A^+                 dL/dA = -P^T G P^T + (I - AP) G^T P P^T + P^T P G^T (I - PA)
    matrix_power(A, n)   A^n                     through matmul (and inv for n < 0)
    vector_norm, matrix_norm, norm               through |x|, sums, max/min and svdvals
    cross, vecdot, multi_dot                     through products, sums and rolls
    svd(A)               (U, S, Vh)              dL/dA = U diag(G_S) Vh + terms from G_U, G_Vh (svd.py)
    qr(A)                (Q, R)                  dL/dA = (G_Q + Q copyltu(M)) R^{-T}  (qr.py)
    solve_triangular     X = A^{-1} B            dL/dB = A^{-T} G,  dL/dA = triangle of -(dL/dB) X^T
    matrix_exp(A)        exp(A)                  through matmul (Taylor series, scaling and squaring)
    lstsq, cond          through pinv, svdvals, inv and the norms;  matrix_rank: no gradient
    lu, lu_factor(_ex)   A = P L U               dL/dA = P L^{-T} [tril_{-1}(L^T G_L) + triu(G_U U^T)] U^{-T}
    lu_solve             X = U^{-1} L^{-1} P^T B through solve_triangular on LU's triangles (lu_solve.py)

Phi keeps the lower triangle and halves the diagonal, sym(M) = (M + M^T)/2,
skew(M) = (M - M^T)/2, F_ij = 1/(w_j - w_i). The modules say why:
inverse.py (det to matrix_power), spectral.py (eigenvalues, singular values,
pinv), norms.py, products.py, svd.py, qr.py, triangular.py, matrix_exp.py,
least_squares.py (lstsq, matrix_rank, cond), lu.py and lu_solve.py; checks.py holds LinAlgError, raised (as in
PyTorch, a RuntimeError) for a singular or not positive-definite matrix.
"""

from .checks import LinAlgError
from .inverse import cholesky, det, inv, matrix_power, slogdet, solve
from .least_squares import cond, lstsq, matrix_rank
from .lu import lu, lu_factor, lu_factor_ex
from .lu_solve import lu_solve
from .matrix_exp import matrix_exp
from .norms import matrix_norm, norm, vector_norm
from .products import cross, multi_dot, vecdot
from .qr import qr
from .spectral import eigh, eigvalsh, pinv, svdvals
from .svd import svd
from .triangular import solve_triangular

__all__ = [
    "LinAlgError",
    "cholesky",
    "cond",
    "cross",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]
