"""Same tagging output as another version of the code? For speed work that must change nothing.

    git archive main monitor | tar -x -C /tmp/base
    .venv/bin/python bench/tagging_identity.py /tmp/base /tmp/base.out
    .venv/bin/python bench/tagging_identity.py . /tmp/new.out
    cmp /tmp/base.out /tmp/new.out

Writes, one line a text, the repr of what the daemon keeps (topics with their evidence and
snippet, linked entities, unlisted people and organisations) and of the topics refused
with their reasons (`monitor show --why`) for the seeds, the TRAIN texts of
tests/data/tagging/real_*.jsonl (never the test split: it is for the final figures alone),
passages.jsonl and heldout.jsonl. The texts are read from this checkout; the code from TREE.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    tree, out_path = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    sys.path.insert(0, str(tree))
    import monitor  # from TREE, not the installed checkout
    from monitor.extract.clean import clean_text
    from monitor.tagging.entities import EntityTagger, load_gazetteer
    from monitor.tagging.shipped import shipped_topics
    from monitor.tagging.taxonomy import load_taxonomy
    from monitor.tagging.terms import Document

    if not Path(monitor.__file__).resolve().is_relative_to(tree):
        raise SystemExit(f"monitor imported from {monitor.__file__}, not from {tree}")
    topics = shipped_topics(load_taxonomy())
    entities = EntityTagger(load_gazetteer())
    texts = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        texts.append(f"{cleaned.title or ''}\n{cleaned.body}")
    data = REPO / "tests" / "data" / "tagging"
    for name in ("real_ar", "real_en", "passages", "heldout"):
        for line in (data / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("split", "train") == "train":
                texts.append(record["text"])
    with out_path.open("w", encoding="utf-8") as out:
        for text in texts:
            doc = Document(text)
            linked = entities.tag(doc)
            given, refused = topics.decide(doc)  # the refusals: what `monitor show --why` says
            out.write(repr((given, refused, linked, entities.unlinked(doc, linked))) + "\n")
    print(f"{len(texts)} texts tagged by {tree}: {out_path}")


if __name__ == "__main__":
    main()
