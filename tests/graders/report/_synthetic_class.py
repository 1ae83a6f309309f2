'''A synthetic class for the similarity report: independent solutions of one small exercise
(k-nearest neighbours: squared distances and a majority vote), written differently, and copies
derived from some of them by renaming, reformatting, comment changes and statement reordering.'''
from __future__ import annotations

import ast
import itertools
import re

STUB = '''"""k-nearest neighbours."""
import numpy as np


def pairwise_sq_dists(X, Y):
    """Squared Euclidean distances between the rows of X (n, d) and of Y (m, d): shape (n, m)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def knn_predict(X_train, y_train, X_test, k):
    """The majority label of the k nearest training rows of each test row (ties: smallest label)."""
    # YOUR CODE HERE
    raise NotImplementedError()
'''

_HEAD = '"""k-nearest neighbours."""\nimport numpy as np\n'

#: Independent solutions: different algorithms and structure, not only different names.
INDEPENDENT = [
    # 0: broadcasting, argsort, bincount
    '''
def pairwise_sq_dists(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return np.sum(diff ** 2, axis=-1)


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train)
    idx = np.argsort(D, axis=1)[:, :k]
    labels = y_train[idx]
    out = []
    for row in labels:
        counts = np.bincount(row)
        out.append(np.argmax(counts))
    return np.array(out)
''',
    # 1: expansion formula, argpartition, Counter
    '''
from collections import Counter


def pairwise_sq_dists(X, Y):
    xx = (X * X).sum(1)[:, None]
    yy = (Y * Y).sum(1)[None, :]
    d = xx + yy - 2 * X @ Y.T
    return np.maximum(d, 0.0)


def knn_predict(X_train, y_train, X_test, k):
    dist = pairwise_sq_dists(X_test, X_train)
    near = np.argpartition(dist, k - 1, axis=1)[:, :k]
    preds = np.empty(len(X_test), dtype=y_train.dtype)
    for i, nb in enumerate(near):
        c = Counter(y_train[nb].tolist())
        best = max(c.values())
        preds[i] = min(lbl for lbl, n in c.items() if n == best)
    return preds
''',
    # 2: double loop, sorted with key, dict count
    '''
def pairwise_sq_dists(X, Y):
    n, m = X.shape[0], Y.shape[0]
    result = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for t in range(X.shape[1]):
                s += (X[i, t] - Y[j, t]) ** 2
            result[i, j] = s
    return result


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train)
    answer = []
    for i in range(D.shape[0]):
        order = sorted(range(D.shape[1]), key=lambda j: D[i, j])
        votes = {}
        for j in order[:k]:
            votes[y_train[j]] = votes.get(y_train[j], 0) + 1
        top = max(votes.values())
        answer.append(min(label for label in votes if votes[label] == top))
    return np.asarray(answer)
''',
    # 3: einsum, np.unique with counts
    '''
def pairwise_sq_dists(X, Y):
    d = X[:, np.newaxis] - Y[np.newaxis]
    return np.einsum("ijk,ijk->ij", d, d)


def knn_predict(X_train, y_train, X_test, k):
    nearest = np.argsort(pairwise_sq_dists(X_test, X_train), axis=1, kind="stable")[:, :k]
    predictions = []
    for neighbours in nearest:
        values, counts = np.unique(y_train[neighbours], return_counts=True)
        predictions.append(values[np.argmax(counts)])
    return np.array(predictions)
''',
    # 4: one row at a time with norm, one-hot votes
    '''
def pairwise_sq_dists(X, Y):
    rows = [np.linalg.norm(Y - x, axis=1) ** 2 for x in X]
    return np.vstack(rows)


def knn_predict(X_train, y_train, X_test, k):
    n_classes = int(y_train.max()) + 1
    onehot = np.eye(n_classes)[y_train]
    D = pairwise_sq_dists(X_test, X_train)
    nn = np.argsort(D, axis=1)[:, :k]
    scores = onehot[nn].sum(axis=1)
    return scores.argmax(axis=1)
''',
    # 5: scipy-free cdist via dot products in a while loop, heap
    '''
import heapq


def pairwise_sq_dists(X, Y):
    out = np.empty((len(X), len(Y)))
    i = 0
    while i < len(X):
        out[i] = np.dot(Y, Y.T).diagonal() - 2 * np.dot(Y, X[i]) + np.dot(X[i], X[i])
        i += 1
    return out


def knn_predict(X_train, y_train, X_test, k):
    dists = pairwise_sq_dists(X_test, X_train)
    result = np.zeros(len(X_test), dtype=int)
    for row in range(len(X_test)):
        smallest = heapq.nsmallest(k, range(len(X_train)), key=lambda c: dists[row, c])
        tally = np.bincount(y_train[smallest], minlength=int(y_train.max()) + 1)
        result[row] = int(np.flatnonzero(tally == tally.max())[0])
    return result
''',
    # 6: class-based helper
    '''
class _Voter:
    def __init__(self, labels):
        self.labels = labels

    def vote(self, idx):
        counts = {}
        for lab in self.labels[idx]:
            counts[lab] = counts.get(lab, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return ordered[0][0]


def pairwise_sq_dists(X, Y):
    return np.square(X[:, None] - Y[None]).sum(axis=2)


def knn_predict(X_train, y_train, X_test, k):
    voter = _Voter(y_train)
    order = np.argsort(pairwise_sq_dists(X_test, X_train), axis=1)
    return np.array([voter.vote(o[:k]) for o in order])
''',
    # 7: functional style with map and lambda
    '''
import functools


def pairwise_sq_dists(X, Y):
    sq = lambda a, b: float(((a - b) ** 2).sum())
    return np.array(list(map(lambda x: [sq(x, y) for y in Y], X)))


def _mode(values):
    seen = list(values)
    return functools.reduce(lambda best, v: v if (seen.count(v), -v) > (seen.count(best), -best) else best, seen)


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train)
    picks = map(lambda d: y_train[np.argsort(d)[:k]], D)
    return np.array([_mode(p) for p in picks])
''',
    # 8: torch-free matrix trick with trace-like terms, lexsort tie breaking
    '''
def pairwise_sq_dists(X, Y):
    G = X.dot(Y.T)
    nx = np.diag(X.dot(X.T))
    ny = np.diag(Y.dot(Y.T))
    return nx.reshape(-1, 1) - 2.0 * G + ny.reshape(1, -1)


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train)
    labels = np.unique(y_train)
    pred = np.zeros(D.shape[0], dtype=y_train.dtype)
    for r in range(D.shape[0]):
        idx = np.lexsort((np.arange(D.shape[1]), D[r]))[:k]
        hits = np.array([(y_train[idx] == c).sum() for c in labels])
        pred[r] = labels[np.argmax(hits)]
    return pred
''',
    # 9: list comprehensions in pure python, then numpy at the end
    '''
def pairwise_sq_dists(X, Y):
    A, B = X.tolist(), Y.tolist()
    return np.array([[sum((p - q) * (p - q) for p, q in zip(a, b)) for b in B] for a in A])


def knn_predict(X_train, y_train, X_test, k):
    table = pairwise_sq_dists(X_test, X_train)
    ys = y_train.tolist()
    res = []
    for line in table:
        ranked = [ys[j] for _, j in sorted(zip(line, range(len(line))))][:k]
        res.append(sorted(set(ranked), key=lambda c: (-ranked.count(c), c))[0])
    return np.array(res)
''',
    # 10: recursion for votes, broadcasting with reshape
    '''
def pairwise_sq_dists(X, Y):
    n, d = X.shape
    m = Y.shape[0]
    delta = X.reshape(n, 1, d) - Y.reshape(1, m, d)
    return (delta * delta).sum(-1)


def _count(labels, label):
    if len(labels) == 0:
        return 0
    return (labels[0] == label) + _count(labels[1:], label)


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train)
    chosen = np.argsort(D, 1)[:, :k]
    out = np.zeros(len(D), dtype=int)
    for q in range(len(D)):
        cand = y_train[chosen[q]]
        out[q] = max(sorted(set(cand.tolist())), key=lambda c: _count(list(cand), c))
    return out
''',
    # 11: vectorised votes with np.apply_along_axis
    '''
def pairwise_sq_dists(X, Y):
    return np.add.outer((X ** 2).sum(axis=1), (Y ** 2).sum(axis=1)) - 2 * np.matmul(X, Y.T)


def _majority(row):
    return np.bincount(row).argmax()


def knn_predict(X_train, y_train, X_test, k):
    neighbours = np.argsort(pairwise_sq_dists(X_test, X_train), axis=-1)[..., :k]
    return np.apply_along_axis(_majority, 1, y_train[neighbours])
''',
    # 12: partial selection sort by hand
    '''
def pairwise_sq_dists(X, Y):
    D = np.zeros((X.shape[0], Y.shape[0]))
    for j, y in enumerate(Y):
        D[:, j] = ((X - y) ** 2).sum(axis=1)
    return D


def knn_predict(X_train, y_train, X_test, k):
    D = pairwise_sq_dists(X_test, X_train).copy()
    labels = []
    for r in range(D.shape[0]):
        picked = []
        for _ in range(k):
            j = int(np.argmin(D[r]))
            picked.append(int(y_train[j]))
            D[r, j] = np.inf
        best = None
        for c in sorted(set(picked)):
            if best is None or picked.count(c) > picked.count(best):
                best = c
        labels.append(best)
    return np.array(labels)
''',
    # 13: meshgrid of indices, stacked votes matrix
    '''
def pairwise_sq_dists(X, Y):
    I, J = np.meshgrid(np.arange(len(X)), np.arange(len(Y)), indexing="ij")
    return ((X[I] - Y[J]) ** 2).sum(axis=-1)


def knn_predict(X_train, y_train, X_test, k):
    classes = np.arange(y_train.max() + 1)
    sorted_idx = np.argsort(pairwise_sq_dists(X_test, X_train), axis=1)
    near_labels = y_train[sorted_idx[:, :k]]
    votes = (near_labels[:, :, None] == classes[None, None, :]).sum(axis=1)
    return classes[votes.argmax(axis=1)]
''',
]


def source(i: int) -> str:
    """The whole module file of independent solution ``i``."""
    return _HEAD + INDEPENDENT[i]


# --- the transformations a copier uses ---------------------------------------------------------

def rename(text: str, *, keep: tuple[str, ...] = ("pairwise_sq_dists", "knn_predict")) -> str:
    """Every local name (assigned, a parameter, a loop variable, a helper) but ``keep`` (the
    functions the exercise asks for) renamed consistently."""
    tree = ast.parse(text)
    fixed = {*keep, "np", "self"}
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    for number, name in enumerate(sorted(names - fixed)):
        text = re.sub(rf"(?<![\w.]){re.escape(name)}\b", f"zz_{number}_{name[::-1].lower()}q", text)
    return text


def reformat(text: str) -> str:
    """The code as ``ast.unparse`` writes it (spacing, quotes, parentheses, no comments), with
    blank lines and a line continuation added."""
    out = ast.unparse(ast.parse(text))
    out = out.replace("\n    return ", "\n\n    return (\n        ").replace("(\n        ", "(\n        ", 1)
    lines = []
    for line in out.splitlines():
        lines.append(line)
        if line.lstrip().startswith("return ("):
            lines[-1] = line.replace("return (", "return (")
    text = "\n".join(lines)
    # close every opened "return (" at the end of its statement
    text = re.sub(r"return \(\n        (.*)", r"return (\n        \1\n    )", text)
    return text + "\n"


def recomment(text: str) -> str:
    """Comments and a docstring added, the existing comments removed."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"\s+#.*$", "", line)
        out.append(line)
        if line.startswith("def "):
            indent = "    "
            out.append(f'{indent}"""My own implementation, written from scratch."""')
            out.append(f"{indent}# first compute what we need")
    return "\n".join(out) + "\n# end of file\n"


def reorder(text: str) -> str:
    """Top-level definitions in reverse order and, in every body, each pair of adjacent
    statements that do not depend on one another swapped."""
    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))]
    rest = [n for n in tree.body if n not in imports]
    tree.body = imports + rest[::-1]
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and not isinstance(node, ast.Module):
            _swap_independent(body)
    return ast.unparse(tree) + "\n"


def _swap_independent(body: list) -> None:
    i = 0
    while i + 1 < len(body):
        a, b = body[i], body[i + 1]
        if isinstance(a, ast.Assign) and isinstance(b, ast.Assign):
            written_a = {n.id for t in a.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            written_b = {n.id for t in b.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            read_a = {n.id for n in ast.walk(a.value) if isinstance(n, ast.Name)}
            read_b = {n.id for n in ast.walk(b.value) if isinstance(n, ast.Name)}
            if not (written_a & (read_b | written_b)) and not (written_b & read_a):
                body[i], body[i + 1] = b, a
                i += 2
                continue
        i += 1


#: The derived copies: (name, the independent solution copied, the transformations in order).
DERIVATIONS = [
    ("rename", 0, (rename,)),
    ("reformat", 1, (reformat,)),
    ("recomment", 2, (recomment,)),
    ("reorder", 3, (reorder,)),
    ("rename+reorder", 4, (rename, reorder)),
    ("all", 5, (recomment, rename, reorder)),
    ("rename+recomment", 6, (rename, recomment)),
    ("reformat+rename", 8, (reformat, rename)),
    ("reorder+recomment", 11, (reorder, recomment)),
    ("rename-again", 0, (reorder, recomment, rename)),
]


def synthetic_class(copies: int = 1) -> tuple[dict[str, str], set[frozenset[str]]]:
    """``({student: module source}, derived pairs)``: every independent solution once, and each
    derivation ``copies`` times (a copy of a copy from the second on). Students derived from one
    original, and the original itself, form the derived pairs; every other pair is independent."""
    files = {f"indep{i:02d}": source(i) for i in range(len(INDEPENDENT))}
    families: dict[int, list[str]] = {i: [f"indep{i:02d}"] for i in range(len(INDEPENDENT))}
    for number, (name, original, steps) in enumerate(DERIVATIONS):
        text = source(original)
        for copy in range(copies):
            for step in steps:
                text = step(text)
            student = f"copy{number:02d}-{name}-{copy}"
            files[student] = text
            families[original].append(student)
    derived = {frozenset(pair) for family in families.values() for pair in itertools.combinations(family, 2)}
    return files, derived
