"""Entities from the gazetteer: variants, clitics on names, canonical English names."""

from __future__ import annotations

from pathlib import Path

import pytest
from taggers import names

from monitor.config import ConfigError
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.terms import Document


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("التقى كيم جونغ أون الرئيس", "Kim Jong Un"),
        ("التقى كيم يونغ أون الرئيس", "Kim Jong Un"),
        ("وصل شويجو أمس", "Sergei Shoigu"),
        ("وقال وشويغو إن", "Sergei Shoigu"),
        ("رسالة لبوتين من بيونغ يانغ", "Vladimir Putin"),
        ("وصل إلى بيونغيانغ", "Pyongyang"),
        ("Kim Jong-un met Vladimir Putin", "Vladimir Putin"),
        ("Kim Jong-un met Vladimir Putin", "Kim Jong Un"),
    ],
)
def test_variants_and_clitics_find_the_canonical_name(text: str, name: str) -> None:
    assert name in names(text)


def test_a_name_is_never_cut_as_if_it_had_a_clitic(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        '["Putin"]\nkind = "person"\naliases = ["بوتين"]\n'
        '["Aorta"]\nkind = "place"\naliases = ["وتين"]\n',
        encoding="utf-8",
    )
    tagger = EntityTagger(load_gazetteer(path))
    assert names("قال بوتين", tagger) == {"Putin"}
    assert names("البوتينات", tagger) == set()


def test_mentions_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        '["Vladimir Putin"]\nkind = "person"\naliases = ["بوتين", "فلاديمير بوتين", "Putin"]\n',
        encoding="utf-8",
    )
    (tag,) = EntityTagger(load_gazetteer(path)).tag(
        Document("قال فلاديمير بوتين إن لبوتين رأيا. Putin agreed.")
    )
    assert tag.name == "Vladimir Putin" and tag.kind == "person"
    assert tag.count == 3  # the long alias and the short one inside it count once
    assert len(tag.mentions) == 3


def test_config_adds_entities_and_aliases_and_switches_off(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('["Sergei Shoigu"]\nkind = "person"\naliases = ["شويغو"]\n', encoding="utf-8")
    g = load_gazetteer(
        path,
        extra={
            "Sergei Shoigu": {"aliases": ["شويقو"]},
            "Rosatom": {"kind": "organisation", "aliases": ["Rosatom", "روساتوم"]},
        },
    )
    t = EntityTagger(g)
    assert names("شويقو وشويغو وروساتوم", t) == {"Sergei Shoigu", "Rosatom"}
    off = EntityTagger(load_gazetteer(path, extra={"Sergei Shoigu": {"enabled": False}}))
    assert names("شويغو", off) == set()


def test_bad_gazetteer_entries_name_the_entity(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('["X"]\nkind = "planet"\naliases = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'X'.*kind"):
        load_gazetteer(path)
    path.write_text(
        '["A"]\nkind = "person"\naliases = ["Same"]\n["B"]\nkind = "person"\naliases = ["same"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="belongs to both 'A' and 'B'"):
        load_gazetteer(path)
