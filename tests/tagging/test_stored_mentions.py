"""End to end: unlinked names are stored and shown, refusals are explained, and
`monitor retag` brings articles tagged under older rules up to the new decisions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from running import cli, query

ARTICLE = """Seoul says Pyongyang shipped shells to Russia

North Korea has shipped more than 13,000 containers of artillery shells and munitions to
Russia since August 2023, South Korea's Defense Ministry said on Tuesday. Deputy Minister
Kim Seon-ho told lawmakers the arms shipments went by rail through Khasan and by sea from
Rajin. "The transfers continue," said Park Min-jun, a senior analyst at the Korea Institute
for Defense Analyses. The weapons deliveries break UN Security Council resolutions.
"""

OFFBEAT = """Club sanctioned after derby violence

The football federation imposed sanctions on the club and fined it after its fans threw
flares during Sunday's match. The disciplinary committee also banned the stadium's north
stand for two matches, and the club said it would appeal the sanctions package.
"""


def test_unlinked_names_stored_shown_and_retag_applies_the_new_decisions(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = make_config()
    inbox = tmp_path / "inbox"
    (inbox / "shells.txt").write_text(ARTICLE, encoding="utf-8")
    (inbox / "derby.txt").write_text(OFFBEAT, encoding="utf-8")
    cli(config, "ingest", str(inbox))
    db = config.parent / "monitor.db"
    rows = {
        origin.rsplit("/", 1)[-1]: (i, json.loads(t), json.loads(e), json.loads(m))
        for i, origin, t, e, m in query(
            db, "SELECT id, origin, topics, entities, entity_mentions FROM articles"
        )
    }
    shells_id, topics, entities, mentions = rows["shells.txt"]
    assert "arms_transfers" in topics
    unlinked = {m["name"]: m for m in mentions if m.get("linked") is False}
    assert {"Kim Seon-ho", "Park Min-jun"} <= set(unlinked)
    assert unlinked["Park Min-jun"]["kind"] == "person"
    # `entities` (filters, alerts, the export's ids) holds gazetteer names only
    assert "Park Min-jun" not in entities and {"North Korea", "Russia"} <= set(entities)
    derby_id, derby_topics, _e, _m = rows["derby.txt"]
    assert derby_topics == []

    shown = cli(config, "show", str(shells_id)).stdout
    assert "name Park Min-jun (person, not in the gazetteer)" in shown
    why = cli(config, "show", str(derby_id), "--why").stdout
    assert "topic sanctions refused" in why and "veto 'football' (sport context)" in why

    # an article tagged under older rules (no context, no unlinked names), as a store
    # upgraded from an earlier version holds it
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE articles SET topics = ?, entity_mentions = '[]' WHERE id = ?",
            ['["sanctions"]', derby_id],
        )
        conn.execute("UPDATE articles SET entity_mentions = '[]' WHERE id = ?", [shells_id])
    conn.close()
    out = cli(config, "retag").stdout
    assert out.startswith("2 articles, 2 changed")
    after = {
        i: (json.loads(t), json.loads(m))
        for i, t, m in query(db, "SELECT id, topics, entity_mentions FROM articles")
    }
    assert after[derby_id][0] == []
    assert any(m["name"] == "Park Min-jun" for m in after[shells_id][1])
