"""Themes found in the texts themselves: TF-IDF then non-negative matrix factorisation.

- Terms: folded words of three letters or more that are not stopwords, kept when they occur
  in at least ``min_docs`` texts and in at most ``max_share`` of them.
- TF-IDF: (1 + log tf) x (log((1 + n) / (1 + df)) + 1), each text's row scaled to unit
  length (the smooth idf of Salton & Buckley's weighting as commonly implemented).
- NMF: X ~ W H with W, H >= 0, minimising the Frobenius error by Lee & Seung's (2001)
  multiplicative updates from an NNDSVD start (Boutsidis & Gallopoulos, 2008), so the same
  texts give the same topics. A topic is named by its heaviest terms; a text belongs to the
  topic of its largest weight (none when all are zero).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from scipy import sparse

from pilotage.core.voice.text import tokens

EPS = 1e-10
#: A (texts, terms) matrix: dense, or SciPy sparse (CSR) as :func:`term_matrix` builds it.
Matrix: TypeAlias = np.ndarray | sparse.csr_matrix


@dataclass(frozen=True)
class TermMatrix:
    """(n_texts, n_terms) sparse TF-IDF rows of unit length, and the terms in column order."""

    matrix: sparse.csr_matrix
    terms: tuple[str, ...]


def term_matrix(
    texts: Sequence[str],
    stopwords: frozenset[str],
    *,
    min_docs: int = 2,
    max_share: float = 0.5,
) -> TermMatrix:
    docs = [
        Counter(t for t in tokens(text) if len(t) >= 3 and t not in stopwords) for text in texts
    ]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    kept = sorted(t for t, d in df.items() if d >= min_docs and d <= max_share * n)
    index = {t: i for i, t in enumerate(kept)}
    rows, cols, values = [], [], []
    for row, doc in enumerate(docs):
        for term, count in doc.items():
            col = index.get(term)
            if col is not None:
                idf = math.log((1 + n) / (1 + df[term])) + 1
                rows.append(row)
                cols.append(col)
                values.append((1 + math.log(count)) * idf)
    x = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(kept)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    scale = sparse.diags(np.divide(1.0, norms, out=np.zeros(n), where=norms > 0))
    return TermMatrix(sparse.csr_matrix(scale @ x), tuple(kept))


def _top_svd(x: Matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` leading singular triplets (U, s, Vt) from the eigenvectors of the small
    (m, m) Gram matrix X^T X: texts outnumber terms, so this costs n m^2, not n^2 m."""
    gram = x.T @ x if isinstance(x, np.ndarray) else np.asarray((x.T @ x).todense())
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(-values)[:k]
    s = np.sqrt(np.maximum(values[order], 0.0))
    v = vectors[:, order]
    u = np.asarray(x @ v) / np.where(s > EPS, s, 1.0)
    return u, s, v.T


def nndsvd(x: Matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative double SVD start: (n, k) W and (k, m) H."""
    u, s, vt = _top_svd(x, k)
    n, m = x.shape
    w, h = np.zeros((n, k)), np.zeros((k, m))
    w[:, 0] = math.sqrt(s[0]) * np.abs(u[:, 0])
    h[0, :] = math.sqrt(s[0]) * np.abs(vt[0, :])
    for j in range(1, min(k, len(s))):
        a, b = u[:, j], vt[j, :]
        ap, an = np.maximum(a, 0), np.maximum(-a, 0)
        bp, bn = np.maximum(b, 0), np.maximum(-b, 0)
        pos = np.linalg.norm(ap) * np.linalg.norm(bp)
        neg = np.linalg.norm(an) * np.linalg.norm(bn)
        if pos >= neg:
            uu, vv, sigma = ap / (np.linalg.norm(ap) + EPS), bp / (np.linalg.norm(bp) + EPS), pos
        else:
            uu, vv, sigma = an / (np.linalg.norm(an) + EPS), bn / (np.linalg.norm(bn) + EPS), neg
        w[:, j] = math.sqrt(s[j] * sigma) * uu
        h[j, :] = math.sqrt(s[j] * sigma) * vv
    # Zeros would stay zero under multiplicative updates: lift them a little.
    mean = float(x.mean())
    w[w < EPS] = mean / 100
    h[h < EPS] = mean / 100
    return w, h


def nmf(
    x: Matrix, k: int, *, iterations: int = 300, tol: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, float]:
    """(W, H, relative Frobenius error ||X - WH|| / ||X||) of a non-negative ``x`` (dense
    or sparse)."""
    if (x.min() if x.shape[0] * x.shape[1] else 0) < 0:
        raise ValueError("NMF needs a non-negative matrix")
    if not 1 <= k <= min(x.shape):
        raise ValueError(f"k must be between 1 and {min(x.shape)}, not {k}")
    w, h = nndsvd(x, k)
    squared = float(np.sum(x * x) if isinstance(x, np.ndarray) else x.multiply(x).sum()) or 1.0
    previous = math.inf
    for step in range(iterations):
        h *= np.asarray(x.T @ w).T / ((w.T @ w) @ h + EPS)
        w *= np.asarray(x @ h.T) / (w @ (h @ h.T) + EPS)
        if step % 10 == 9:
            error = _error(x, w, h, squared)
            if previous - error < tol:
                break
            previous = error
    return w, h, _error(x, w, h, squared)


def _error(x: Matrix, w: np.ndarray, h: np.ndarray, squared: float) -> float:
    """||X - WH|| / ||X|| without forming WH: ||X||^2 - 2 tr(H^T W^T X) + tr(W^T W H H^T)."""
    cross = float(np.sum(np.asarray(x.T @ w).T * h))
    residual = squared - 2 * cross + float(np.sum((w.T @ w) * (h @ h.T)))
    return math.sqrt(max(residual, 0.0) / squared)


@dataclass(frozen=True)
class Topic:
    index: int
    terms: tuple[str, ...]
    #: Texts whose heaviest topic this is, by position in the input.
    members: tuple[int, ...]


def topics(
    texts: Sequence[str],
    stopwords: frozenset[str],
    k: int,
    *,
    top_terms: int = 6,
    min_docs: int = 2,
) -> tuple[list[Topic], float]:
    """Up to ``k`` topics of ``texts`` (fewer when there are fewer texts or terms) and the
    factorisation's relative error; no topic at all when nothing is left to factorise."""
    tm = term_matrix(texts, stopwords, min_docs=min_docs)
    rows = np.flatnonzero(np.asarray(tm.matrix.sum(axis=1)).ravel() > 0)
    k = min(k, len(rows), len(tm.terms))
    if k < 1:
        return [], 0.0
    w_rows, h, error = nmf(tm.matrix[rows], k)
    w = np.zeros((len(texts), k))
    w[rows] = w_rows
    best = np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1)
    out = []
    for j in range(k):
        order = np.argsort(-h[j], kind="stable")[:top_terms]
        members = tuple(int(i) for i in np.flatnonzero(best == j))
        if members:
            out.append(Topic(j, tuple(tm.terms[i] for i in order if h[j, i] > EPS), members))
    out.sort(key=lambda t: -len(t.members))
    return out, error
