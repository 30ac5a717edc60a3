"""Retagging the store after a rule change, and previewing a topic before turning it on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from running import cli, query


def topics_by_id(config: Path) -> dict[int, list[str]]:
    rows = query(config.parent / "monitor.db", "SELECT id, topics FROM articles")
    return {i: json.loads(t) for i, t in rows}


def test_preview_then_switch_on_then_retag(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    config = make_config("[topics.sanctions]\nenabled = false\n")
    cli(config, "ingest", str(inbox_with_seeds))
    before = topics_by_id(config)
    assert before and not any("sanctions" in t for t in before.values())
    alerts_before = (config.parent / "alerts.jsonl").read_text(encoding="utf-8")

    # preview: the switched-off topic is tried on the store, nothing is written
    shown = json.loads(cli(config, "preview", "sanctions", "--json").stdout)
    assert shown["articles"] == len(before)
    assert 0 < shown["matched"] <= len(before)
    assert shown["examples"] and all(e["tag"]["snippet"] for e in shown["examples"])
    assert topics_by_id(config) == before

    config.write_text(
        config.read_text(encoding="utf-8").replace("enabled = false", "enabled = true"),
        encoding="utf-8",
    )
    dry = cli(config, "retag", "--dry-run").stdout
    assert f"sanctions: +{shown['matched']} -0" in dry
    assert topics_by_id(config) == before  # a dry run writes nothing

    cli(config, "retag")
    after = topics_by_id(config)
    assert sum("sanctions" in t for t in after.values()) == shown["matched"]
    # everything else is as before; no alert was raised for old news
    assert {i: [x for x in t if x != "sanctions"] for i, t in after.items()} == before
    assert (config.parent / "alerts.jsonl").read_text(encoding="utf-8") == alerts_before
    exported = [
        json.loads(line) for line in cli(config, "export", "--format", "jsonl").stdout.splitlines()
    ]
    tagged = [r for r in exported if "sanctions" in r["topics"]]
    assert tagged and all(
        any(e["topic"] == "sanctions" and e["matches"] for e in r["evidence"]) for r in tagged
    )
    # and a second run finds nothing left to change
    assert cli(config, "retag").stdout.startswith(f"{len(before)} articles, 0 changed")


def test_preview_a_draft_topic_from_a_file(seeded: Path, tmp_path: Path) -> None:
    config = seeded
    draft = tmp_path / "draft.toml"
    draft.write_text(
        '[rail]\nthreshold = 2\nterms = { "قطار" = 2, "train" = 2 }\n', encoding="utf-8"
    )
    out = cli(config, "preview", "rail", "--taxonomy", str(draft)).stdout
    assert out.startswith("rail: ") and "would be tagged" in out
    missing = cli(config, "preview", "nope", check=False)
    assert missing.returncode == 2 and "no topic 'nope'" in missing.stderr


def test_retag_rewrites_evidence_when_only_a_term_changes(
    make_config: Callable[..., Path], inbox_with_seeds: Path, tmp_path: Path
) -> None:
    taxonomy = tmp_path / "topics.toml"
    taxonomy.write_text('[rail]\nthreshold = 1\nterms = { "قطار" = 3 }\n', encoding="utf-8")
    config = make_config(f'[tagging]\ntaxonomy = "{taxonomy}"\n')
    cli(config, "ingest", str(inbox_with_seeds))
    tagged = {i for i, t in topics_by_id(config).items() if "rail" in t}
    assert tagged
    # the same term with a mark (it matches the same words): topics and scores stay the
    # same, only the evidence names the term differently
    taxonomy.write_text('[rail]\nthreshold = 1\nterms = { "قِطار" = 3 }\n', encoding="utf-8")
    out = cli(config, "retag").stdout
    assert out.startswith(f"{len(topics_by_id(config))} articles, {len(tagged)} changed")
    rows = query(
        config.parent / "monitor.db", "SELECT evidence FROM articles WHERE topics LIKE '%rail%'"
    )
    assert rows and all(json.loads(e)[0]["matches"][0]["term"] == "قِطار" for (e,) in rows)
