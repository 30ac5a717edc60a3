"""The learned line model inside the plain-text cleaner (issue 16): what it overrules,
what it leaves to the hand rules, and how it fails on a bad model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.extract.clean import Cleaner, clean_text
from monitor.extract.line_model import MODEL_FILE, LineModel
from monitor.extract.vocabulary import load_vocabulary

# Eight paragraphs written for this test (not real news), long enough to be an article.
ARTICLE = [
    f"The ministry said on day {i} that the talks would continue next week in the capital, "
    "where both delegations are expected to present written proposals for the first time, "
    "and officials from both sides declined to comment on the details of the draft."
    for i in range(1, 9)
]
MENU = ["Home", "World", "Business", "Markets", "Tech", "Opinion", "Sport", "Video"]
FOOTER = ["About us", "Contact", "Careers", "Privacy policy", "Terms of use", "Advertise"]


def test_a_trending_box_above_the_article_does_not_cut_the_article() -> None:
    """Real pages put "Trending" boxes above the article; the hand rule alone read the
    heading as the start of another article and cut everything after it."""
    trending = ["Trending", "Stocks slide as rates rise", "Storm closes the port", "Team wins cup"]
    text = "\n".join([*MENU, *trending, "Talks to resume next week", *ARTICLE, *FOOTER])
    body = clean_text(text).body
    assert all(p in body for p in ARTICLE)
    rules_only = Cleaner(load_vocabulary(), model=None).clean(text).body
    assert not any(p in rules_only for p in ARTICLE)  # what the rules alone did


def test_read_also_after_the_article_still_cuts_the_other_article() -> None:
    other = [p.replace("talks", "harvest") for p in ARTICLE[:3]]
    text = "\n".join([*MENU, "Talks to resume", *ARTICLE, "Read also:", *other, *FOOTER])
    cleaned = clean_text(text)
    assert all(p in cleaned.body for p in ARTICLE)
    assert not any(p in cleaned.body for p in other)


def test_the_model_removes_menus_and_footers_of_a_long_page_with_its_reason() -> None:
    text = "\n".join([*MENU, "Talks to resume next week", *ARTICLE, *FOOTER])
    cleaned = clean_text(text)
    assert cleaned.body.split("\n") == ARTICLE
    removed = {r.text: r for r in cleaned.removed}
    assert set(MENU) | set(FOOTER) <= set(removed)
    assert all(r.label == "boilerplate" and r.why for r in removed.values())


def test_a_model_file_for_other_features_fails_naming_the_file(tmp_path: Path) -> None:
    doc = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    doc["coef1"] = doc["coef1"][:-1]
    bad = tmp_path / "line_model.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"line_model\.json.*make train"):
        LineModel.load(bad)


def test_an_unreadable_model_file_fails_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "line_model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"line_model\.json"):
        LineModel.load(bad)
