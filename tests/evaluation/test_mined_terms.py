"""The mined-terms experiment's selection: what passes and what a known term covers."""

from __future__ import annotations

from monitor.evaluation.mined_terms import grams, mine


def test_grams_keep_content_edges_only() -> None:
    got = grams(["the", "arms", "deal", "of", "2023"], frozenset({"the", "of"}), longest=3)
    assert {"arms", "deal", "arms deal"} <= got
    assert not {"the arms", "deal of", "2023", "of 2023"} & got


def _item(n: int, topics: list[str], words: set[str], publisher: str = "") -> tuple[dict, set]:
    return {"id": f"x{n}", "topics": topics, "publisher": publisher or f"p{n}"}, words


def test_a_term_needs_support_publishers_precision_and_to_be_new() -> None:
    rows = [
        _item(n, ["arms_transfers"], {"howitzer shipment", "arms deal", "common word"})
        for n in range(8)
    ]
    rows += [_item(10, [], {"howitzer shipment"})]  # precision 8 / (9 + 1) = 0.8: enough
    rows += [_item(20 + n, [], {"common word"}) for n in range(3)]  # 8 / 12: too low
    rows += [_item(30 + n, ["sanctions"], {"one site"}, "p30") for n in range(6)]  # 1 publisher
    rows += [_item(40 + n, ["sanctions"], {"rare phrase"}) for n in range(4)]  # 4 < 5 times
    items = [r for r, _ in rows]
    grams_of = {r["id"]: w for r, w in rows}
    known = {"arms_transfers": {"arms deal"}}  # already a term: nothing to add
    got = mine(items, grams_of, known, min_pos=5, min_prec=0.8, min_pubs=4)
    assert got == {"arms_transfers": ["howitzer shipment"]}
