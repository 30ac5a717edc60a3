"""The plain-text cleaner's shortcuts decide what the slow paths they replace decide.

Issue 16 asks for speed with identical output. test_clean_equivalence.py pins the output
on real pages; these tests aim each shortcut at the lines where it could go wrong: every
menu word of the vocabulary (some are also "read also" markers or start phrases, which
the cascade labels otherwise), every character of the Basic Multilingual Plane for the
other-script table, and runs of spaces for the word counts.
"""

from __future__ import annotations

import random
import re
from itertools import cycle

import numpy as np
import pytest

from monitor.extract.clean import default_cleaner
from monitor.extract.line_arrays import line_arrays
from monitor.extract.lines import (
    _OTHER_LETTER,
    _SCRIPT_SETS,
    LETTER,
    main_script,
    measure_page,
    script_share,
)
from monitor.extract.rule_candidates import lines_matching, start_phrases
from monitor.extract.script_letters import (
    BMP,
    code_points,
    has_letter,
    lines_with_letter,
    script_shares,
    share_table,
)
from monitor.extract.vocabulary import SCRIPT_FIRSTS, _starts_after_newline, load_vocabulary

# Written for this test (not real news): long lines, so the page is not hard-wrapped.
PARAGRAPHS = [
    f"The council said on day {i} that the repairs to the bridge would go on through the "
    "winter, and that the ferry would run every hour until the work is finished in spring."
    for i in range(1, 6)
]


def test_lone_menu_words_get_the_labels_the_whole_cascade_gives() -> None:
    """A menu word alone on its line is labelled navigation without the rule cascade, but
    only when no rule before that one could match: "Comments" is also a "read also"
    marker, "(Video)" a credit, "Photos: ..." a caption label."""
    cleaner = default_cleaner()
    words = sorted(load_vocabulary().whole)
    variants = [
        line for word in words for line in (word.title(), f"({word})", f"{word} 3", f"• {word}")
    ]
    text = "\n".join(x for pair in zip(variants, cycle(PARAGRAPHS)) for x in pair)
    script = main_script(text)

    def labelled(fast: bool) -> tuple[list[tuple[str | None, str]], dict[str, str], list[int]]:
        lines, columns = measure_page(text, script, cleaner._head_chars)
        arrays = line_arrays(lines, columns) if fast else None  # None: the cascade for all
        found: dict[str, str] = {}
        markers = cleaner._line_rules.label_page(lines, arrays, script, found, True)
        return [(x.label, x.why) for x in lines], found, markers

    fast, slow = labelled(fast=True), labelled(fast=False)
    assert fast == slow
    navigation = sum(why == "site navigation or button" for _, why in fast[0])
    assert navigation > len(words)  # the shortcut had work to do
    assert any(why.startswith("cutoff:") for _, why in fast[0])  # and lines it must leave


@pytest.mark.parametrize("script", sorted(_OTHER_LETTER))
def test_the_other_script_table_agrees_with_the_regex_on_every_character(script: str) -> None:
    """One line a character of the plane: the lines the table points at are exactly the
    ones the regex matches (the table is built from runs of matches, so a run's edges
    are where it could slip)."""
    other = _OTHER_LETTER[script]
    lines = list(map(chr, range(BMP)))
    codes = code_points("\n".join(lines))
    starts = np.arange(0, 2 * len(lines), 2)
    found = set(lines_with_letter(other, codes, starts, 1).tolist())
    assert found == {i for i, c in enumerate(lines) if other.match(c)}


def test_has_letter_is_the_regex_search_above_the_plane_too() -> None:
    rng = random.Random(16)
    # letters and not-letters of several scripts, above the BMP too (an emoji is no
    # letter, a mathematical bold A is one), a lone surrogate, and a compatibility "km"
    pool = [*"aZé ж日ب١2_-", "\U0001f600", "\U0001d400", "\U00020000", "\ud800", "\u339e"]
    for _ in range(600):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 5)))
        for other in _OTHER_LETTER.values():
            assert has_letter(other, text) == (other.search(text) is not None), repr(text)


def test_the_text_as_read_is_asked_only_in_the_lines_nfkc_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """measure_page asks whether the text as read holds a letter of another script
    (before looking for foreign lines on a page NFKC changed) from the page's table for
    the lines NFKC left alone and from the changed lines as read: the answer the
    regex gives over the whole text, on pages mixing lines NFKC changes (a no-break
    space, full-width letters, "km" as one sign, a mathematical bold letter) with plain
    ones, letters of other scripts and code points above the plane (a letter, an emoji)
    in either kind."""
    import monitor.extract.lines as lines_module

    rng = random.Random(21)
    pool = [
        "السفير قال إن الاجتماع انتهى دون اتفاق على الموعد المقبل للقاء",
        "قال\xa0المتحدث إن الوفد وصل أمس",
        "المسافة ٥ ㎞ من الحدود",
        "Ｍｏｓｃｏｗ",
        "\U0001d400\U0001d401 مرحبا",
        "مرحبا \U00010400\U00010401",
        "تحية \U0001f600",
        "Reuters",
        "٢٠٢٤ ١٢ ٣",
    ]
    real = lines_module._read_with_letter
    answers: list[bool] = []
    text = ""

    def checked(*args: object) -> bool:
        got = real(*args)  # type: ignore[arg-type]
        assert got == (_OTHER_LETTER["Arabic"].search(text) is not None), repr(text)
        answers.append(got)
        return got

    monkeypatch.setattr(lines_module, "_read_with_letter", checked)
    for _ in range(400):
        text = "\n".join(rng.choice(pool) for _ in range(rng.randint(2, 7)))
        measure_page(text, "Arabic", 40)
    assert True in answers and False in answers


def test_word_counts_are_the_spaces_less_the_double_spaces() -> None:
    rng = random.Random(3)
    for _ in range(400):
        lines = ["".join(rng.choice("ab  \t\u00a0x") for _ in range(rng.randint(0, 14)))]
        lines += ["word " * rng.randint(0, 3) + "  " * rng.randint(0, 3) + "end"]
        measured, _ = measure_page("\n".join(lines), None, 40)
        assert [x.words for x in measured] == [
            x.raw.count(" ") - x.raw.count("  ") + 1 for x in measured
        ]


@pytest.mark.parametrize(
    "phrases", [["read also", "source", "مصدر"], ["read also", "©copyright", "_tags"]]
)
def test_the_joined_heads_scan_finds_what_a_match_a_line_finds(phrases: list[str]) -> None:
    """The joined heads' scan (Vocabulary.start_lines) skips the bullets possessively only when no phrase starts with a
    character the bullets' repeat could take ("_", "©"); either way it finds the lines
    any_start (one match a line) finds."""
    from monitor.extract.vocabulary import _starts, _starts_after_newline

    one, scan = _starts(phrases), _starts_after_newline(phrases)
    assert ("*+" in scan.pattern) == (phrases[-1] == "مصدر")
    heads = [
        f"{lead}{phrase}{tail}"
        for lead in ("", "• ", "__ ", "© ", "- _", ">> ", "_")
        for phrase in ("read also", "source", "مصدر", "©copyright", "_tags", "readers")
        for tail in ("", ":", " now", "s")
    ]
    random.Random(16).shuffle(heads)
    joined = "\n" + "\n".join(heads)
    found = {joined.count("\n", 0, hit.start() + 1) - 1 for hit in scan.finditer(joined)}
    assert found == {i for i, head in enumerate(heads) if one.match(head)}
    assert found  # (the heads hold some phrases)


def test_the_joined_relative_times_scan_finds_what_a_search_a_line_finds() -> None:
    """rule_candidates.lines_matching: v.relative over lines joined with newlines finds
    the lines a search of each finds: phrases at a line's edges (beside the newline),
    inside words, twice in a line, on lines next to each other, and rows left out."""
    v = load_vocabulary()
    shapes = ("{}", "3 {}", "{} 3", "x{} 3", "3 {}x", "3 {} {}", "{}: 5 {}", "- {} -")
    phrases = ("days ago", "hours ago", "hace", "il y a", "minutes ago", "vor", "назад", "منذ")
    folds = [s.format(p, p) for p in phrases for s in shapes] + ["12", "", "ago 3"]
    random.Random(16).shuffle(folds)
    for rows in (list(range(len(folds))), list(range(0, len(folds), 3)), [], [5]):
        found = [i for i in rows if v.relative.search(folds[i])]
        assert lines_matching(v.relative, folds, rows) == found


def test_the_scan_for_a_script_finds_what_the_scan_of_every_phrase_finds() -> None:
    """start_lines(script) tries the page's script's first characters first and the
    others' behind one class: the same lines and phrases, on lines starting with a
    phrase of each script (and a phrase's prefix, a phrase run into a word, bullets and
    quotes before it), whatever script the page is said to be in."""
    v = load_vocabulary()
    phrases = sorted(v.kinds_of)
    rng = random.Random(21)
    heads = []
    for phrase in phrases:
        lead = rng.choice(("", "• ", "« ", "- ", "12 "))
        heads += [lead + phrase, phrase + rng.choice((":", " now", "x", "")), phrase[:-1]]
    heads += ["", "123", "_x", "ßtraße", "读 更多", "اقرا ايضا", "читать также"]
    rng.shuffle(heads)
    joined = "\n" + "\n".join(heads)

    def hits(scan: object) -> list[tuple[int, str]]:
        return [(hit.start(), hit.group(1)) for hit in scan.finditer(joined)]  # type: ignore[attr-defined]

    expected = hits(v.start_lines())
    assert v.start_lines().pattern == _starts_after_newline(v.starting).pattern
    assert len(expected) > len(phrases)  # (most heads start with a phrase)
    firsts = {phrase[0] for phrase in phrases}
    assert set(SCRIPT_FIRSTS) == {"Latin", "Cyrillic", "Arabic"}
    for script in SCRIPT_FIRSTS:
        scan = v.start_lines(script)
        assert scan.pattern != v.start_lines().pattern
        assert hits(scan) == expected, script
        low, high = SCRIPT_FIRSTS[script]
        assert any(low <= c <= high for c in firsts) and any(not low <= c <= high for c in firsts)
    # and through start_phrases, as label_page asks it
    page = "\n".join(f"{head} {PARAGRAPHS[0]}" if i % 3 else head for i, head in enumerate(heads))
    lines, columns = measure_page(page, "Latin", 40)
    at = line_arrays(lines, columns)
    found, kinds = start_phrases(at, v)
    for script in (None, "Latin", "Cyrillic", "Arabic"):
        by_script = start_phrases(at, v, script)
        assert (by_script[0] == found).all() and by_script[1] == kinds, script
    assert found.any()


def test_lines_the_model_removes_get_the_structural_cascades_label() -> None:
    """On a page the model decides, a line it removes that starts with a call to action
    and no other kind of phrase is not marked by start_phrases (`keep`), nor one whose
    phrase's rules cannot label it ("Posted", "Image", "By subscribing ..."), nor one that
    ends with a bracket unless it is a short credit line "(AFP)" (structural_candidates):
    the labels the other rules give them ("(Subscribe)" a credit, "Subscribe 3 hours ago"
    a relative time, "Subscribe 5 March 2024" a date) are still the structural cascade's,
    line by line; the lines the model keeps, and those starting with another kind of
    phrase or none, too."""
    cleaner = default_cleaner()
    rules, v = cleaner._line_rules, cleaner._v
    phrases = sorted(p for p, kinds in v.kinds_of.items() if kinds <= {"starts"})
    others = sorted(p for p, kinds in v.kinds_of.items() if not kinds <= {"starts"})
    plain = ["Agency", "Delegates arrive at the ministry", "Comments 12", "AFP", "3 hours ago"]
    variants = [
        line
        for phrase in [*phrases, *others, *plain]
        for line in (
            phrase,
            f"({phrase})",
            f"[{phrase}]",
            f"{phrase} 3 hours ago",
            f"{phrase} 5 March 2024",
            f"{phrase}: Agency (AP Photo/Jane Doe)",
            f"{phrase} (AP Photo/Jane Doe)",
            f"{phrase} (12)",
            f"({phrase}) 5 March 2024 (AP)",
            f"{phrase}: Jane Doe",
            f"{phrase} — Jane Doe",
            f"{phrase} 5 March 2024, the talks resumed in the capital.",
            f"{phrase} {' '.join(['the talks resumed'] * 6)}",
        )
    ]
    # (13 variants a phrase: each variant's lines both kept and removed, keep below)
    text = "\n".join([*PARAGRAPHS, *PARAGRAPHS[:3], *variants])
    script = main_script(text)
    lines, columns = measure_page(text, script, cleaner._head_chars)
    at = line_arrays(lines, columns)
    keep = np.array([i < 8 or i % 3 == 0 for i in range(len(lines))])
    found: dict[str, str] = {}
    markers = rules.label_page(lines, at, script, found, True, True, keep)
    # each line below the first eight through the structural cascade, as label() alone
    # labels it (its start phrases matched there, every rule tried)
    again, _ = measure_page(text, script, cleaner._head_chars)
    found_again: dict[str, str] = {}
    for i in range(8, len(again)):
        rules.label(again[i], script, found_again, kept=bool(keep[i]), structural=True)
    below = [(x.label, x.why) for x in list(lines)[8:]]
    assert below == [(x.label, x.why) for x in list(again)[8:]]
    assert found == found_again and "published" in found
    assert [i for i in markers if i >= 8] == [
        i for i in range(8, len(again)) if again[i].why.startswith("cutoff:")
    ]
    whys = {why for label, why in below if label}
    assert {"agency or source credit", "publication date", "relative publication time"} <= whys


def _script_by_utf8_lead_bytes(text: str) -> str | None:
    """main_script as it was written before the table: UTF-8 lead bytes counted."""
    data = text[:1500].encode("utf-8", "ignore")
    ascii_letters = sum(65 <= b <= 90 or 97 <= b <= 122 for b in data)
    counts = {
        "Arabic": sum(data.count(lead) for lead in (b"\xd8", b"\xd9", b"\xda", b"\xdb")),
        "Latin": ascii_letters + sum(data.count(lead) for lead in (b"\xc3", b"\xc4", b"\xc5")),
        "Cyrillic": sum(data.count(lead) for lead in (b"\xd0", b"\xd1", b"\xd2", b"\xd3")),
    }
    best = max(counts, key=counts.__getitem__)
    total = sum(counts.values())
    return best if total >= 20 and counts[best] >= 0.6 * total else None


def test_main_script_counts_what_utf8_lead_bytes_count() -> None:
    """The script table gives the byte count's answer, ties and the edges of each range
    (U+00BF/00C0, U+017F/0180, U+03FF/0400, U+05FF/0600, ...) and lone surrogates and
    code points above the BMP included, on mixed random texts around the thresholds."""
    rng = random.Random(16)
    edges = [0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0xBF, 0xC0, 0x17F, 0x180]
    edges += [0x3FF, 0x400, 0x4FF, 0x500, 0x5FF, 0x600, 0x6FF, 0x700, 0xD800, 0x1F600]
    pools = [range(0x20, 0x80), range(0xA0, 0x250), range(0x3F0, 0x520), range(0x5F0, 0x710)]
    texts = ["", "ab", "a" * 20, "a" * 12 + "б" * 8, "ب" * 10 + "a" * 10, "\ud800" * 30]
    for _ in range(3000):
        chosen = rng.sample(pools, rng.randint(1, 3))
        size = rng.choice([10, 25, 40, 1600])
        texts.append(
            "".join(
                chr(rng.choice(edges) if rng.random() < 0.2 else rng.choice(rng.choice(chosen)))
                for _ in range(size)
            )
        )
    for text in texts:
        assert main_script(text) == _script_by_utf8_lead_bytes(text), text[:40]


@pytest.mark.parametrize("script", ["Arabic", "Latin", "Cyrillic"])
def test_script_shares_are_the_regexes_shares(script: str) -> None:
    """The foreign-line check counts a page's letters at once when it has many lines to
    ask (script_letters.script_shares): the same quotient as script_share's two findalls
    for every line, across the BMP (letters, digits, marks, the sets' non-letters such
    as Arabic digits and the multiplication sign), and None for a line it cannot count
    (a code point above the plane), which the regexes are asked."""
    rng = random.Random(16)
    pool = list(range(0x20, 0x2000)) + list(range(0xFB50, 0xFF00)) + [0x1D400, 0x1F642]
    lines = [
        "".join(chr(rng.choice(pool)) for _ in range(rng.randint(1, 60))).replace("\n", " ")
        for _ in range(400)
    ] + ["1234 ٣٤ ×÷", "abc", "Москва London"]
    codes = code_points("\n".join(lines))
    lengths = np.array([len(x) for x in lines])
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    rows = np.arange(0, len(lines), 2)
    table = share_table(LETTER, tuple(_SCRIPT_SETS.items()))
    shares = script_shares(table, script, codes, starts, lengths, rows)
    for i, share in zip(rows.tolist(), shares, strict=True):
        above = any(ord(c) >= BMP for c in lines[i])
        assert share == (None if above else script_share(lines[i], script)), lines[i]
    assert sum(share is None for share in shares) > 0


def test_the_link_row_is_the_regex_search_of_each_line() -> None:
    """line_features' row 12 (a link, handle, bar or copyright sign) marks the lines the
    regex it replaced finds: links found by their "//" (LineArrays.link_offsets), at the
    page's start, after other text, or a "//" after no scheme."""
    from monitor.extract.line_model import line_features

    regex = re.compile(r"https?://|www\.|@\w|©|\|")
    lines_text = [
        "http://example.test/a opens the page",
        "see https://example.test/b",
        "xhttp://example.test/c inside a word",
        "a // comment, not a link, and ftp://example.test",
        "http:/example.test with one slash",
        "https:// at the end http://",
        "write to @_desk or @ nobody",
        "a bar | here and © there",
        "www.example.test and ww.example.test",
        "nothing to see on this line at all",
        "//",
        "//http://x",
    ]
    text = "\n".join(p for i, x in enumerate(lines_text) for p in (PARAGRAPHS[i % 5], x))
    lines, columns = measure_page(text, "Latin", 40)
    marked = line_features(lines, line_arrays(lines, columns))[:, 12].tolist()
    assert marked == [float(bool(regex.search(x.raw))) for x in lines]
    assert sum(marked) == 8


def test_menu_separators_asked_with_in_are_what_the_regex_found() -> None:
    """LineRules._menu asks for a separator with `in`, once the regex below; and
    _captions asks for a closing bracket before _SHORT_CREDIT: the same answers."""
    from monitor.extract.line_rules import _SHORT_CREDIT

    menu_chars = re.compile(r"[|•·»> ](?:(?<! )|/ )")
    chars = ["a", " ", "/", "|", ">", "•", "·", "»", "(", ")", "]", "1"]
    rng = random.Random(7)
    for _ in range(3000):
        raw = "".join(rng.choice(chars) for _ in range(rng.randint(1, 12))).strip()
        if not raw:
            continue
        asked = any(s in raw for s in ("  ", "|", ">", "•", "·", "»", " / "))
        assert asked == ("  " in raw or menu_chars.search(raw) is not None), raw
        if _SHORT_CREDIT.search(raw):
            assert raw[-1] in ")]", raw
