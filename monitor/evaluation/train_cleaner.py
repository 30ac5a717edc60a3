"""Train the cleaner's line model on the aeb corpus, and score it by cross-validation.

    .venv/bin/python -m monitor.evaluation.train_cleaner ../shared/corpora/aeb [--write]

A line is labelled body when the hand-made article body contains it (compared as its
\\w+ tokens, so spacing and punctuation do not matter). Each line weighs by its number of
tokens, since the corpus's metric counts 4-token shingles, and each page weighs the same
in total, as in the metric. scikit-learn fits the two passes (dev extra only: the runtime
reads the JSON it writes, with numpy).

Cross-validation: for each of the 5 fixed folds (aeb_pages.py), fit on the other four
and score the held-out fold's pages with the published metric through the whole plain-
text cleaner; the five held-out scores are reported per fold and pooled (all 181 pages
scored once, each by a model that never saw it). `--write` then fits on folds 0-3 and
writes monitor/extract/data/line_model.json, so fold 4 stays held out for the test suite.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

import numpy as np

from monitor.evaluation.aeb import score
from monitor.evaluation.aeb_pages import FOLDS, HELDOUT_FOLD, Page, load_pages
from monitor.extract.clean import MODEL_MIN_LINES, Cleaner, LabelledPage
from monitor.extract.line_model import (
    MODEL_FILE,
    LineModel,
    line_features,
    ruled,
    second_features,
    verdicts,
)
from monitor.extract.vocabulary import load_vocabulary

_TOKEN = re.compile(r"\w+")
C = 0.5  # inverse regularisation, the same for both passes
THRESHOLDS = np.arange(0.3, 0.71, 0.05)


@dataclass
class Prepared:
    page: Page
    labelled: LabelledPage
    x1: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    fixed: np.ndarray  # lines the model does not decide (title, metadata, cut-offs)


def _tokens(text: str) -> str:
    return " " + " ".join(_TOKEN.findall(text)) + " "


def _grams(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]


def _is_body(tokens: list[str], body: str, grams: set[tuple[str, ...]]) -> bool:
    """Body when the article contains the line: a short line whole, a longer one by at
    least half its 4-token shingles (a dump's mis-decoded quote or an inline credit must
    not make a paragraph boilerplate)."""
    if len(tokens) < 4:
        return bool(tokens) and f" {' '.join(tokens)} " in body
    line = _grams(tokens)
    return sum(g in grams for g in line) >= 0.5 * len(line)


def prepare(pages: list[Page]) -> list[Prepared]:
    rules = Cleaner(load_vocabulary(), model=None)
    out = []
    for page in pages:
        labelled = rules.label_lines(page.text, for_model=True)
        if labelled is None:
            continue
        body = _tokens(page.body)
        grams = set(_grams(_TOKEN.findall(page.body)))
        toks = [_TOKEN.findall(x.raw) for x in labelled.lines]
        y = np.array([_is_body(t, body, grams) for t in toks], dtype=int)
        n_tokens = np.array([max(len(t), 1) for t in toks], dtype=float)
        weight = n_tokens / n_tokens.sum()
        fixed = np.array([ruled(x) for x in labelled.lines])
        # the page's measures as the cleaner computed them (the heads as folded then)
        x1 = line_features(labelled.lines, labelled.arrays)
        out.append(Prepared(page, labelled, x1, y, weight, fixed))
    return out


def _fit_pass(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays 1
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
    model.fit(z, y, sample_weight=w * len(w))
    return mean, scale, model.coef_[0]


def _bodies(model: LineModel, prepared: list[Prepared], threshold: float) -> dict[str, str]:
    out = {}
    for p in prepared:
        prob, _ = model.probabilities(p.x1)
        decided = verdicts(p.labelled.lines, (prob >= threshold).tolist())
        if len(p.labelled.lines) < MODEL_MIN_LINES or not p.labelled.shaped:
            decided = [(x.label, x.why) for x in p.labelled.lines]  # as Cleaner.clean
        out[p.page.key] = "\n".join(
            x.text or x.raw
            for x, (label, _) in zip(p.labelled.lines, decided, strict=True)
            if label is None
        )
    return out


def fit(prepared: list[Prepared]) -> LineModel:
    """Both passes on these pages, then the threshold that scores best on them."""
    x1 = np.vstack([p.x1 for p in prepared])
    y = np.concatenate([p.y for p in prepared])
    w = np.concatenate([p.weight for p in prepared])
    mean1, scale1, coef1 = _fit_pass(x1, y, w)
    first = LineModel(mean1, scale1, coef1, mean1, scale1, coef1, 0.5)
    x2 = np.vstack(
        [np.column_stack([p.x1, second_features(first.first_pass(p.x1))]) for p in prepared]
    )
    mean2, scale2, coef2 = _fit_pass(x2, y, w)
    model = LineModel(mean1, scale1, coef1, mean2, scale2, coef2, 0.5)
    truth = {p.page.key: p.page.body for p in prepared}
    best = max(THRESHOLDS, key=lambda t: score(_bodies(model, prepared, t), truth)[2])
    return LineModel(mean1, scale1, coef1, mean2, scale2, coef2, round(float(best), 3))


def cross_validate(prepared: list[Prepared]) -> None:
    """Fit on four folds, score the fifth through the whole cleaner; print every fold and
    the pooled score (all pages, each scored by a model that did not see it)."""
    vocabulary = load_vocabulary()
    pooled: dict[str, str] = {}
    truth = {p.page.key: p.page.body for p in prepared}
    print("| fold | pages | threshold | P | R | F1 |\n| ---: | ---: | ---: | ---: | ---: | ---: |")
    for k in range(FOLDS):
        model = fit([p for p in prepared if p.page.fold != k])
        cleaner = Cleaner(vocabulary, model)
        held = [p.page for p in prepared if p.page.fold == k]
        bodies = {page.key: cleaner.clean(page.text).body for page in held}
        pooled.update(bodies)
        pr, rc, f = score(bodies, {page.key: truth[page.key] for page in held})
        print(f"| {k} | {len(held)} | {model.threshold:.3f} | {pr:.3f} | {rc:.3f} | {f:.3f} |")
    pr, rc, f = score(pooled, truth)
    print(f"| pooled | {len(pooled)} | | {pr:.3f} | {rc:.3f} | {f:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="the aeb folder (ground-truth.json, text/)")
    parser.add_argument(
        "--write", action="store_true", help=f"fit on folds 0-3 and write {MODEL_FILE}"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()
    from pathlib import Path

    prepared = prepare(load_pages(Path(args.corpus)))
    if not args.no_cv:
        cross_validate(prepared)
    if args.write:
        model = fit([p for p in prepared if p.page.fold != HELDOUT_FOLD])
        folds = [k for k in range(FOLDS) if k != HELDOUT_FOLD]
        MODEL_FILE.write_text(model.to_json(trained_on_folds=folds), encoding="utf-8")
        print(f"wrote {MODEL_FILE} (trained on folds other than {HELDOUT_FOLD})")


if __name__ == "__main__":
    main()
