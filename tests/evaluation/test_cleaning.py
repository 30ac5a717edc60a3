"""The evaluation, and the quality floors the cleaner must not fall below."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.evaluation.cleaning import LabelsError, evaluate, main

REPO = Path(__file__).resolve().parents[2]
SEEDS_GOLD = REPO / "tests" / "data" / "gold" / "seeds.json"
OWN_SET = REPO / "tests" / "data" / "clean" / "labels.json"


def test_seeds_floor_every_line_right_titles_exact_and_seed_004_metadata() -> None:
    report = evaluate(SEEDS_GOLD, REPO / "seeds")
    assert len(report.articles) == 5
    for article in report.articles:
        assert article.lost == (), f"{article.name} lost body lines {article.lost}"
        assert article.leaked == (), f"{article.name} kept non-body lines {article.leaked}"
        assert article.title_ok, f"{article.name}: title {article.got.title!r}"
    seed_004 = next(a for a in report.articles if a.name.startswith("004_"))
    assert seed_004.got.published == "2023-09-11"
    assert seed_004.got.source == "عربي21"
    assert report.precision == report.recall == 1.0


@pytest.mark.skipif(not OWN_SET.exists(), reason="own labelled set not merged yet")
def test_own_set_floor_body_f1_and_at_most_one_body_line_lost_per_article() -> None:
    report = evaluate(OWN_SET, OWN_SET.parent)
    assert report.f1 >= 0.95, report.text()
    assert report.max_lost <= 1, report.text()


def labelled_folder(tmp_path: Path, text: str, entry: dict[str, object]) -> Path:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"articles": {"a.txt": entry}}), encoding="utf-8")
    return labels


def test_scores_count_lost_and_leaked_lines(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Talks resume in Geneva after months of delay",
            "Negotiators met on Monday to resume talks on the shipments, officials said.",
            "Share this article",
            "The delegations agreed to meet again next week, according to a statement.",
        ]
    )
    # Labels that call line 4 boilerplate and line 3 body: the cleaner disagrees on both.
    labels = labelled_folder(
        tmp_path,
        text,
        {"title": "Talks resume in Geneva after months of delay", "published": None,
         "source": None, "boilerplate": [4], "metadata": [], "caption": []},
    )  # fmt: skip
    report = evaluate(labels)
    (article,) = report.articles
    assert article.lost == (3,) and article.leaked == (4,)
    assert report.recall == pytest.approx(2 / 3) and report.precision == pytest.approx(2 / 3)
    assert report.title_accuracy == 1.0 and report.worst is article
    assert "lost body lines [3]" in report.text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read labels"),
        ('{"articles": {}}', "needs an 'articles' object"),
        ('{"articles": {"missing.txt": {}}}', "missing.txt not found"),
        ('{"articles": {"a.txt": {"boilerplate": "1"}}}', "'boilerplate' must be a list"),
    ],
)
def test_bad_labels_give_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("Some text here.", encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(content, encoding="utf-8")
    with pytest.raises(LabelsError, match=message):
        evaluate(labels)
    assert main([str(labels)]) == 2


def test_command_prints_the_report_and_fails_under_the_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([str(SEEDS_GOLD), str(REPO / "seeds"), "--fail-under-f1", "0.95"]) == 0
    out = capsys.readouterr().out
    assert "precision 1.000, recall 1.000, F1 1.000" in out and "worst article" in out
