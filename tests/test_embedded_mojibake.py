"""embedded_mojibake.fix_encoding is ftfy.fix_encoding with each repeated stretch of
embedded mojibake repaired once (issue 19: a pure speed change): it must give ftfy's
answer on mixtures of garbled, clean and C1-control text and on real aeb dumps (the
first 90, for the suite's time)."""

from __future__ import annotations

import random
from pathlib import Path

import ftfy

from monitor.text.embedded_mojibake import fix_encoding


def test_the_same_answer_as_ftfy_on_mixtures() -> None:
    rng = random.Random(19)
    garbled = "Weâ€™d Ã© Â© Ã  Ø§Ù„ Ø¹Ù‚ÙˆØ¨Ø§Øª Ñ‚Ð¾ вЂ ‚Ä† Œx œ1 √± ≈° ГўВЂВ.a \x85 \x9d"
    alphabet = [*"abc XYZ .,\n1", *"العربية", *garbled, "\xa0", "’", "“", "é", "—", "€"]
    changed = 0
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert fix_encoding(text) == ftfy.fix_encoding(text), repr(text)
        changed += fix_encoding(text) != text
    assert changed > 300  # the mixtures do exercise the repairs
    # A word garbled three times beside a correct character, so the text cannot be
    # re-encoded whole: the embedded repair, with a repeated stretch.
    word = "العقوبات".encode().decode("cp1252", "replace")
    text = f"{word} “{word}” — {word}"
    assert fix_encoding(text) == ftfy.fix_encoding(text) == "العقوبات “العقوبات” — العقوبات"


def test_the_same_answer_as_ftfy_on_the_aeb_text_dumps() -> None:
    # The aeb corpus beside the checkout (../shared), or two levels up from a worktree.
    here = Path(__file__).resolve()
    corpora = [p / "shared" / "corpora" / "aeb" / "text" for p in here.parents]
    dumps = [f for c in corpora if c.exists() for f in sorted(c.glob("*.txt"))[:90]]
    for dump in dumps:
        text = dump.read_text(encoding="utf-8", errors="replace")
        if ftfy.badness.is_bad(text):
            assert fix_encoding(text) == ftfy.fix_encoding(text), dump.name
