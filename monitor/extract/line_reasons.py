"""Why the line model removed a line, in words a reader can check (`monitor show`).

The model (line_model.py) is logistic regression, so its decision splits into one
contribution a feature: a removed line is named by the features that weighed most
against it ("model: above the first paragraph, in a run of short lines ..."). Apart from
the model because a page's reasons are their own numpy step (some 160 removed lines of
193, the largest single step after the model's features: benchmarks.md), with its own
shortcuts, and the model's file holds no more than its features and passes.

Features a line has more of than usual come first: "has X" reads better than "lacks Y",
and with correlated features (short, one or two words) a "lacks" is often only the
model's correction of its neighbour. A line with none gets its strongest lack.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_ZERO = np.array(0.0)  # (a 0-d operand: a Python float costs a conversion a call)
_TABLED_ROWS = 4096  # the rows for_rows reads without an arange (a page's lines)


class ReasonTexts(dict[int, str]):
    """The reason of each code (LineReasons.of), named on first use and then looked up in
    C (map over dict.__getitem__): a page's removed lines share a handful of reasons,
    and a set, a dict and a list comprehension a page cost more (issue 16)."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, code: int) -> str:
        names, k = self._names, len(self._names)
        if code < k * k:
            parts = [names[code // k], names[code % k]]
        elif code < 2 * k * k:
            parts = [names[code - k * k]]
        else:
            parts = [f"little {names[code - 2 * k * k]}"]
        text = self[code] = "model: " + ", ".join(parts)
        return text


class LineReasons:
    """The reasons of a model's second pass: built once a model (LineModel._reasons)."""

    def __init__(
        self,
        names: Sequence[str],
        reasonable: Sequence[bool],
        mean: np.ndarray,
        scale: np.ndarray,
        coef: np.ndarray,
        first_pass_features: int,
    ) -> None:
        """`names`: what each second-pass feature measures, said as weighing against a
        line; `reasonable`: whether a reason may name it; `mean`, `scale`, `coef`: the
        second pass's standardisation and weights; `first_pass_features`: how many of
        its columns are the first pass's (the rest are LineModel's second features)."""
        self._mean, self._scale = mean, scale
        self._weights = coef * np.asarray(reasonable, dtype=float)
        self._texts = ReasonTexts(names)
        # Only a feature with a negative weight can be one a line "has" against it (a
        # positive standardised value times the weight), so only those are looked at
        # for what a line has; all are, for its weakest lack.
        which = np.flatnonzero(self._weights < 0)
        k1, k = first_pass_features, len(self._weights)
        # for_rows reads these columns behind a column of zeros (weight 0.0 on the first
        # pass's first column, finite): argmin over a row gives that column, 0, when the
        # row has nothing negative, and so tells a pair, a single feature and a lack
        # apart by index, without comparing the values found
        self._against = (
            np.concatenate(([0], which[which < k1])),  # among the first pass's columns
            which[which >= k1] - k1,  # among the second features
            np.concatenate(([0.0], mean[which])),
            np.concatenate(([1.0], scale[which])),
            np.concatenate(([0.0], self._weights[which])),
        )
        # every reason for_rows can give, by its code: first * width + second among the
        # columns read (second 0: the first alone; first 0: a lack, coded after them
        # as width * width + the feature), named as of() names them
        self._width = width = len(which) + 1
        pairs: list[str | None] = [None] * width  # (first 0: a lack, coded below)
        for f in which.tolist():
            pairs.append(self._texts[k * k + f])
            pairs.extend(self._texts[f * k + s] for s in which.tolist())
        lacks = [self._texts[2 * k * k + i] for i in range(k)]
        self._reason_texts = np.array(pairs + lacks, dtype=object)
        self._bases = np.arange(0, width * _TABLED_ROWS, width)  # (sliced: no arange a page)

    def of(self, z2: np.ndarray) -> list[str]:
        """Per row of a standardised second-pass matrix, the reason: the two features
        that weighed most against the line among those it has more of than usual, or
        its strongest lack. Each row is coded (which features), each code named once.
        (The reference for for_rows, which gives the same reasons cheaper.)"""
        if not len(z2):
            return []
        contributions = z2 * self._weights
        weakest = np.argmin(contributions, axis=1)
        has = np.where(z2 > 0, contributions, 0.0)
        rows = np.arange(len(z2))
        # the two features weighing most against each row: two argmins, not a sort of
        # every row (only negative weights are named, and those do not tie)
        first = np.argmin(has, axis=1)
        has_first = has[rows, first]
        has[rows, first] = np.inf
        second = np.argmin(has, axis=1)
        k = z2.shape[1]
        # both named, only the first (the smaller), or none: then the strongest lack
        codes = np.where(
            has[rows, second] < 0,
            first * k + second,
            np.where(has_first < 0, k * k + first, 2 * k * k + weakest),
        ).tolist()
        return list(map(self._texts.__getitem__, codes))

    def for_rows(
        self, x1: np.ndarray, second: np.ndarray, rows: list[int] | np.ndarray
    ) -> list[str]:
        """of() for `rows` of the unstandardised first-pass matrix `x1` and second
        features `second`, computed only where it can matter: the features a line has
        among those that can weigh against it, and its weakest lack only for the rows
        without one. The same arithmetic per element as of(), so the same reasons
        (argmin keeps the features' order, and no other feature has a negative "has";
        tests/extract/test_clean_vector_paths.py)."""
        if not len(rows):
            return []
        rows = np.asarray(rows, dtype=np.intp)  # (an index array is taken as it is)
        in_first, in_second, mean, scale, weight = self._against
        width = self._width
        # (the columns first, then the rows: cheaper than the rows of every column; the
        # columns as rows of the transposed matrices: line_features writes x1 column by
        # column, and take() along a matrix's second axis copies it whole first)
        picked = np.concatenate((x1.T.take(in_first, 0), second.T.take(in_second, 0)))
        picked = picked.T.take(rows, 0)
        # z * weight where z > 0, else 0: the weights are negative, so the smaller of
        # the product and 0 (-0.0 for z == 0, which compares as 0.0 does); the same
        # operations in the same order as of(), in place (no temporary a step)
        has = np.subtract(picked, mean, order="C")  # (C order: `flat` below is a view)
        has /= scale
        has *= weight
        np.minimum(has, _ZERO, out=has)
        # a row's entries read and written through the flat view at row * width + column
        # (put: cheaper than indexing by two arrays)
        first = has.argmin(axis=1)  # 0: nothing negative (the zeros' column comes first)
        r = len(rows)
        base = self._bases[:r] if r <= _TABLED_ROWS else np.arange(0, has.size, width)
        has.reshape(-1).put(base + first, np.inf)
        # both named, only the first (the second is the zeros' column), or a lack (below)
        first *= width
        codes = np.add(first, has.argmin(axis=1), out=first)
        lacking = (codes < width).nonzero()[0]
        if len(lacking):
            few = rows[lacking]
            z2 = (np.concatenate((x1[few], second[few]), axis=1) - self._mean) / self._scale
            codes[lacking] = width * width + (z2 * self._weights).argmin(axis=1)
        # (the texts' object array: take and tolist cost half a map over a dict)
        return self._reason_texts.take(codes).tolist()
