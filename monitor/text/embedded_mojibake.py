"""ftfy.fix_encoding, with each distinct stretch of embedded mojibake repaired once.

When a text cannot be re-encoded whole (a few correct characters among the garbled ones),
ftfy repairs it stretch by stretch (`fixes.decode_inconsistent_utf8`): every run of
what looks like UTF-8 read as cp1252 is checked and fixed by a full `fix_encoding` of its
own. On an Arabic dump that is one call a word, some 300 a page, and the same words come
again and again: 26 of the 181 aeb text dumps take this path, at 7-10 ms each, the whole
of the text path's decoding cost (issue 19). Here the same loop runs with that step done
by us, remembering each distinct stretch's repair for the rest of the text (13,811
stretches, 5,672 distinct, on the aeb dumps).

The answer is ftfy's own, step for step: the other steps are ftfy's (its one-step
function with the embedded repair switched off), the embedded repair makes the same
call on each stretch, and the step is taken in the same place of ftfy's order (after the
whole-text re-encodings, before the Latin-1 / C1 fixes). ftfy's private one-step function
is used; tests/test_embedded_mojibake.py pins the result against ftfy.fix_encoding on
mixtures and on every aeb dump, so an ftfy upgrade that changes the order fails there.
"""

from __future__ import annotations

import re


def fix_encoding(text: str) -> str:
    """ftfy.fix_encoding(text): the same text, with repeated stretches repaired once."""
    from ftfy import TextFixerConfig

    # ftfy's steps but the embedded repair, and without the C1 step, which comes after
    # the embedded repair in ftfy's order: run over a whole garbled Arabic text only to be
    # thrown away, it cost more than the repair saved.
    before_embedded = TextFixerConfig(
        explain=False, decode_inconsistent_utf8=False, fix_c1_controls=False
    )
    after_embedded = TextFixerConfig(explain=False, decode_inconsistent_utf8=False)
    while True:
        fixed = _one_step(text, before_embedded, after_embedded)
        if fixed == text:
            return fixed
        text = fixed


def _one_step(text: str, before_embedded: object, after_embedded: object) -> str:
    """ftfy's _fix_encoding_one_step_and_explain(text) with all its steps on."""
    from ftfy import _fix_encoding_one_step_and_explain as one_step
    from ftfy.badness import is_bad
    from ftfy.chardata import UTF8_DETECTOR_RE, possible_encoding

    # ftfy's first test, asked here before its one-step function asks it again: on a
    # garbled text its search stops at the first match, on a clean one (the last step of
    # every repair) it reads the whole text, and then once is enough.
    if possible_encoding(text, "ascii") or not is_bad(text):
        return text
    fixed, plan = one_step(text, before_embedded)  # type: ignore[arg-type]
    if plan and plan[-1][0] == "decode" and plan[-1][1].startswith("utf-8"):
        return fixed  # re-encoded whole: ftfy returns before the embedded repair
    if UTF8_DETECTOR_RE.search(text):
        repaired = _embedded(text, UTF8_DETECTOR_RE, is_bad)
        if repaired != text:
            return repaired
    if plan:
        return fixed  # Latin-1 read as cp1252: ftfy's next step, before the C1 step
    return one_step(text, after_embedded)[0]  # type: ignore[arg-type]  # the C1 step, if any


def _embedded(text: str, stretches: re.Pattern[str], is_bad: object) -> str:
    """ftfy.fixes.decode_inconsistent_utf8(text), each distinct stretch fixed once."""
    from ftfy import fix_encoding as ftfy_fix_encoding

    done: dict[str, str] = {}

    def fix(match: re.Match[str]) -> str:
        stretch = match.group(0)
        out = done.get(stretch)
        if out is None:
            # ftfy's own condition: shorter than the text, so that it cannot recurse forever
            bad = len(stretch) < len(text) and is_bad(stretch)  # type: ignore[operator]
            out = done[stretch] = ftfy_fix_encoding(stretch) if bad else stretch
        return out

    return stretches.sub(fix, text)
