"""The aeb corpus's published metric, as monitor/evaluation/aeb.py computes it."""

from __future__ import annotations

from monitor.evaluation.aeb import page_score, score


def test_a_perfect_body_scores_one_and_an_empty_one_has_no_recall() -> None:
    body = "one two three four five six seven"
    assert page_score(body, body) == (1.0, 1.0)
    precision, recall = page_score(body, "")
    assert recall == 0.0
    assert precision == 0.0  # the empty text is one (empty) shingle, all of it surplus


def test_boilerplate_kept_costs_precision_not_recall() -> None:
    body = "the minister said the talks would go on next week in Moscow"
    kept = body + " subscribe to our newsletter for the latest news today"
    precision, recall = page_score(body, kept)
    assert recall == 1.0
    assert 0.0 < precision < 1.0


def test_pages_weigh_the_same_whatever_their_length() -> None:
    short, long = "a b c d e", " ".join(f"w{i}" for i in range(500))
    _, r, _ = score({"s": short, "l": ""}, {"s": short, "l": long})
    assert r == 0.5  # one page found whole, one not at all
