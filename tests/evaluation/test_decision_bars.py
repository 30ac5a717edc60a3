"""The decision's bars are chosen on batches of new publishers (decision_bars.py): where the
second topics in the middle of the probabilities are mostly right the bar goes down, where
they are mostly wrong it stays up; --write changes the bars and nothing else."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from monitor.evaluation import decision_bars
from monitor.evaluation.decision_bars import Row, choose, figures
from monitor.tagging.decide import SHIPPED


def _rows(second_right: bool, n: int = 20) -> list[Row]:
    """n on-beat excerpts with a sure main topic and a second topic at p 0.4, right or wrong
    by `second_right`, and n off-beat excerpts whose only tag is at p 0.05."""
    on = [
        Row(
            lang="en",
            want=frozenset({"sanctions", "arms_transfers"} if second_right else {"sanctions"}),
            offbeat=False,
            kept=frozenset(),
            judged=(("sanctions", 0.9, True), ("arms_transfers", 0.4, False)),
            gate_keeps=None,
        )
        for _ in range(n)
    ]
    off = [
        Row("en", frozenset(), True, frozenset(), (("sanctions", 0.05, True),), None)
        for _ in range(n)
    ]
    return on + off


def test_a_second_topic_mostly_right_lowers_the_bar_and_mostly_wrong_keeps_it_up() -> None:
    low = choose(_rows(second_right=True))
    high = choose(_rows(second_right=False))
    assert low[1] <= 0.4 < high[1]
    # the off-beat excerpts' tag (p 0.05) is refused at either pair
    for pair in (low, high):
        assert figures(_rows(True), *pair)[1] == 0


def test_the_gate_refusal_and_the_undecided_tags_are_counted_as_the_daemon_does() -> None:
    row = Row(
        lang="ar",
        want=frozenset({"sanctions"}),
        offbeat=False,
        kept=frozenset({"sanctions"}),  # a long text: the decision does not read it
        judged=(),
        gate_keeps=frozenset(),  # ... but the gate refuses the article
    )
    counts, tagged, off = figures([row], 0.275, 0.5)
    assert (counts.tp, counts.fn, tagged, off) == (0, 1, 0, 0)


def test_write_changes_the_bars_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "decision.json"
    shutil.copy(SHIPPED, copy)
    before = json.loads(copy.read_text(encoding="utf-8"))
    before["threshold"] = {"ar": 0.7, "en": 0.7}  # bars no batch would choose
    copy.write_text(json.dumps(before, indent=1) + "\n", encoding="utf-8")
    monkeypatch.setattr(decision_bars, "SHIPPED", copy)
    monkeypatch.setattr("sys.argv", ["decision_bars", "--write"])
    decision_bars.main()
    after = json.loads(copy.read_text(encoding="utf-8"))
    assert after["threshold"]["en"] < 0.7 and after["threshold"]["ar"] < 0.7
    assert after["bars"]["splits"] == list(decision_bars.BAR_SPLITS)
    unchanged = ("weights", "bias", "words", "languages", "max_words", "features")
    assert all(after[k] == before[k] for k in unchanged)
    assert "chosen" in capsys.readouterr().out


def test_by_batch_counts_each_batch_at_the_bars_the_others_chose() -> None:
    """A batch whose second topics are right, beside one whose are wrong: held out, each is
    counted at the other's bars, so the right seconds are refused and the wrong kept."""
    right = [replace(r, split="a") for r in _rows(second_right=True)]
    wrong = [replace(r, split="b") for r in _rows(second_right=False)]
    counts, tagged, off = decision_bars.by_batch(right + wrong)
    assert (counts.tp, counts.fp, counts.fn) == (20 + 20, 20, 20)
    assert (tagged, off) == (0, 40)
    # chosen on both batches at once, the one pair cannot be right for both
    together, _, _ = figures(right + wrong, *choose(right + wrong))
    assert together.fp + together.fn == 20


def test_the_paired_interval_excludes_zero_only_for_a_change_that_holds_across_excerpts() -> None:
    same = [1, 0, -1, 1] * 50
    assert decision_bars.paired_interval(same, same) == (0, 0.0, 0.0)
    # one more right tag on a tenth of the excerpts, nothing lost: a gain the resampling keeps
    better = [m + (i % 10 == 0) for i, m in enumerate(same)]
    gain, lo, hi = decision_bars.paired_interval(same, better)
    assert gain == 20 and 0 < lo <= gain <= hi
    # as many tags lost as won, on different excerpts: the interval straddles 0
    mixed = [m + (1 if i % 10 == 0 else -1 if i % 10 == 5 else 0) for i, m in enumerate(same)]
    gain, lo, hi = decision_bars.paired_interval(same, mixed)
    assert gain == 0 and lo < 0 < hi


def test_held_out_margins_sum_to_the_by_batch_count() -> None:
    rows = [replace(r, split="a") for r in _rows(True)] + [
        replace(r, split="b") for r in _rows(False)
    ]
    counts, _, _ = decision_bars.by_batch(rows)
    assert sum(decision_bars.held_out_margins(rows)) == counts.tp - counts.fp
