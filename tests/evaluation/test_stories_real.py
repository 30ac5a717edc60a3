"""The real story set (tests/data/stories/real.jsonl: excerpts of real articles, split into
dev and test by event) as a stream and as a backlog, with the shipped settings and with the
background word frequencies; and the background table itself.

Floors sit a little under what `make eval` measures (docs/benchmarks.md); the set's test
split is never tuned on. Skipped only when the data file is absent.
"""

from __future__ import annotations

import pytest

from monitor.background import Background
from monitor.evaluation.stories import DATA, named_sets, score_records

REAL = DATA / "real.jsonl"
BACKGROUND = (
    "[stories]\nbackground_weight = 1000\nentity_weight = 2\n"
    "similarity = 0.4\ndated_similarity = 0.25\n"
)


def test_the_background_folds_clitics_only_into_a_much_commoner_word() -> None:
    table = Background.shipped(1000)
    assert table.fold("وموسكو") == "موسكو"  # and Moscow
    assert table.fold("لبوتين") == "بوتين"  # for Putin
    assert table.fold("بوتين") == "بوتين"  # not ب + وتين: a name stays whole
    assert table.fold("وبيونغ") == "بيونغ"  # one clitic, not two
    # A beat's everyday name counts as common from the first article; an unknown one not.
    assert table.prior_df("روسيا") > 10 * table.prior_df("بيلوسوف")


@pytest.mark.skipif(not REAL.exists(), reason="tests/data/stories/real.jsonl is absent")
@pytest.mark.parametrize(
    ("extra", "backlog", "precision", "recall", "pairs"),
    [  # one order (random.Random(0)) of the 88 test articles; measured with the story
        # merge and the novelty bar (issue 18): stream 0.921 / 0.655, pairs 0.44; backlog
        # 0.930 / 0.632, 0.44; background stream 0.866 / 0.766, 0.54. Before them: stream
        # 0.955 / 0.562, 0.31; backlog 0.961 / 0.642, 0.42; background 0.845 / 0.629, 0.22.
        # With English terms stemmed (term_forms.py) the opt-in background trades precision
        # for recall: 0.866 / 0.766, 0.54 to 0.823 / 0.780, 0.62 here (on the dev split,
        # two orders, stream 0.769 / 0.774 to 0.768 / 0.793), hence its lower P floor.
        # Read after issue 18's tenth round (number_similarity, kind_similarity): stream
        # 0.940 / 0.766, pairs 0.68; backlog 0.936 / 0.781, 0.69; background 0.878 /
        # 0.852, 0.74. After its twelfth round (same_day_similarity, candidates ranked by
        # their rarest keys): stream 0.940 / 0.797, pairs 0.707; backlog 0.936 / 0.811,
        # 0.717; background unchanged. After the thirteenth and fourteenth rounds
        # (kind_agreement, SAME_DAY_GAP, both_languages_known): the same in this order
        # (background pairs 0.737). After the sixteenth round (number_window_days): stream
        # 0.940 / 0.827, pairs 0.768; backlog 0.936 / 0.841, 0.778; background 0.878 /
        # 0.882, 0.798.
        ("", False, 0.9, 0.8, 0.74),
        ("", True, 0.9, 0.81, 0.75),
        (BACKGROUND, False, 0.84, 0.85, 0.77),
    ],
)
def test_the_real_test_split_stays_above_its_floor(
    extra: str, backlog: bool, precision: float, recall: float, pairs: float
) -> None:
    """Both modes with the shipped settings, and the opt-in background as a stream."""
    (records,) = [r for name, r in named_sets([REAL]) if name.endswith(" test")]
    score = score_records(records, orders=1, extra=extra, backlog=backlog)
    assert score.precision >= precision, score
    assert score.recall >= recall, score
    assert score.cross_language is not None and score.cross_language >= pairs, score


@pytest.mark.skipif(not REAL.exists(), reason="tests/data/stories/real.jsonl is absent")
def test_the_dev_split_as_a_stream_stays_above_its_floor() -> None:
    """One order (random.Random(0)) of the dev split, the shipped settings, as a stream:
    0.886 / 0.807, pairs 0.774 with `number_window_days` (issue 18's sixteenth round);
    0.886 / 0.793, pairs 0.742 with `same_day_similarity` and candidates ranked by their
    rarest keys (issue 18's twelfth round); 0.895 / 0.782, pairs 0.726 with `number_similarity` (0.895 / 0.749, 0.645 without it);
    0.823 / 0.731, pairs 0.629 with `known_concept_similarity` (issue 18's eighth round;
    0.825 / 0.724, 0.613 without it), 0.810 / 0.712, 0.575 before `timed_cross_similarity`. The dev split is where the settings are chosen, so
    this floor guards them, it does not score them."""
    (records,) = [r for name, r in named_sets([REAL], "dev")]
    score = score_records(records, orders=1, backlog=False)
    assert score.precision >= 0.87, score
    assert score.recall >= 0.79, score
    assert score.cross_language is not None and score.cross_language >= 0.75, score
