"""The cleaner's per-language vocabulary, read from data/*.toml and compiled once.

Words live in data files, one per language, so a language is added by writing a file, not
code. Every phrase is folded the way lines are folded before matching (monitor.text.
normalize: case, accents, Arabic letter forms), so the files can use natural spelling.
Phrase lists become one anchored regular expression per kind: matching a line costs one
regex call however many languages are loaded, which keeps the cleaner at thousands of
documents per second.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from monitor.text.normalize import normalize

DATA = Path(__file__).with_name("data")

# What separates a label from its value: "Source: X", "المصدر - X", "Tags | a, b".
SEPARATOR = r"\s*[:：\-–—|]"


@dataclass(frozen=True)
class Vocabulary:
    """Compiled vocabulary of every loaded language (see data/en.toml for the meaning)."""

    languages: tuple[str, ...]
    stopwords: dict[str, frozenset[str]]  # language -> folded function words
    stopwords_as_written: dict[str, frozenset[str]]  # the same, lower-cased only
    starts: re.Pattern[str]  # furniture phrase at the start of a line
    contains: re.Pattern[str]  # furniture phrase anywhere in a short line
    whole: frozenset[str]  # furniture that is the whole line
    cutoff: re.Pattern[str]  # "read also" and kin at the start of a line
    tags: re.Pattern[str]  # "Tags:" at the start of a line
    date_label: re.Pattern[str]
    source_label: re.Pattern[str]
    byline_label: re.Pattern[str]
    caption_label: re.Pattern[str]
    credit: re.Pattern[str]  # a photo agency or credit word anywhere
    caption_tail: re.Pattern[str]  # "... Foto: picture alliance/dpa" closing a line
    caption_starts: re.Pattern[str]  # "image shows", "صورة تظهر": alt text and captions
    with_label: re.Pattern[str]  # "Avec AFP", "Mit Material von Reuters": a credit line
    relative: re.Pattern[str]  # "3 hours ago", "منذ ٣ ساعات": a relative time
    months: dict[str, int]  # folded month name -> 1..12
    any_start: re.Pattern[str]  # any phrase a line can start with (a quick reject)
    # (group 1: the phrase, as start_kinds reads it)
    starting: tuple[str, ...]  # the phrases of any_start (start_lines scans for them)
    longest_phrase: int  # characters, folded
    # each phrase any_start can match -> the kinds of phrase the line may start with
    # (start_kinds); empty when a phrase starts with other than a letter or digit
    kinds_of: dict[str, frozenset[str]]
    # start_lines' patterns, each compiled on its first use (below)
    _scans: dict[str | None, re.Pattern[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def start_lines(self, script: str | None = None) -> re.Pattern[str]:
        """any_start after each newline of "\n" + "\n".join(heads): every line in one
        scan (_starts_after_newline), its branches grouped for a page in `script`
        (lines.main_script), the same hits for any. Compiled on a process's first page
        in a script, not with the vocabulary: some 20 ms each, where a worker meets one
        or two scripts."""
        scan = self._scans.get(script)
        if scan is None:
            scan = self._scans[script] = _starts_after_newline(self.starting, script)
        return scan


def fold(text: str) -> str:
    """The one folding used for vocabulary and lines alike."""
    return normalize(text)


def alternation(phrases: Iterable[str], word_start: bool = False) -> str:
    r"""One pattern for many phrases, shaped as a trie of their characters.

    A flat "a|b|c" makes the regex engine try every phrase in turn at every position
    (hundreds per line); a trie branches on each character, so a line that starts with
    no phrase is rejected after a character or two. Optional tails are greedy, so the
    longest phrase wins ("read also" over "read", "كانون الثاني" over "كانون"). No
    phrases: a pattern that never matches. Public: the date parser builds its month
    names with it (metadata.py).

    `word_start`: a phrase matches only where no word character precedes it, what
    `(?<!\w)` before the pattern says, but written after each phrase's first character
    (`a(?<!\w.)...`: the character before it is no word character). A pattern led by a
    lookbehind gets no prefix from the regex compiler, so `search` tried the whole trie
    at every position of a line; this way every alternative still starts with a literal,
    and the engine skips to the positions holding a phrase's first character. That pays
    where the phrases start with few characters (relative times: 0.36 -> 0.20 us a
    search); where they start with most letters (furniture phrases, photo credits, month
    names) the lookbehind, failing at once inside a word, skips more (0.78 -> 1.3 us).
    """
    trie = _trie(phrases)
    # (no phrase holds a newline, which "." would not match)
    return _trie_pattern(trie, r"(?<!\w.)" if word_start else "") if trie else r"(?!x)x"


def _trie(phrases: Iterable[str]) -> dict[str, dict]:
    """The folded phrases as a trie of their characters ("" marks a phrase's end)."""
    trie: dict[str, dict] = {}
    for phrase in {fold(p) for p in phrases}:
        if phrase:
            node = trie
            for char in phrase:
                node = node.setdefault(char, {})
            node[""] = {}
    return trie


def _trie_pattern(node: dict[str, dict], after_first: str = "") -> str:
    ends_here = "" in node
    branches = [
        re.escape(char) + after_first + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body})?"
    return body


def _starts(phrases: Iterable[str], group: bool = False) -> re.Pattern[str]:
    # Leading bullets, icons and quote marks are not part of what a line says.
    phrase = f"({alternation(phrases)})" if group else f"(?:{alternation(phrases)})"
    return re.compile(rf"^[\W_]*{phrase}(?!\w)")


# The first characters of each script's phrases (folded), as lines.main_script names
# the scripts: the start phrases' scan is regrouped for a page in one of them.
SCRIPT_FIRSTS = {
    "Latin": ("\x00", "\u024f"),
    "Cyrillic": ("\u0400", "\u04ff"),
    "Arabic": ("\u0600", "\u06ff"),
}

# The kinds of start phrase label() tries one by one, each with its own pattern.
START_KINDS = ("starts", "cutoff", "tags", "date", "source", "byline", "caption", "shows", "with")
ALL_KINDS = frozenset(START_KINDS)
_WORD_CHAR = re.compile(r"\w")


def _kinds_of(kinds: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """For each phrase any_start can match, the kinds whose pattern can match a line
    starting with it: a kind's phrase is then the phrase itself or a prefix of it that
    a non-word character follows (any_start's trie matches the longest phrase that no
    word character follows, after the leading bullets; a kind's pattern matches one of
    its own phrases there, no word character after it). label() tries only those
    patterns (issue 16, seventeenth round: a line starting with a phrase was matched
    against up to nine). Empty when some phrase starts with other than a letter or
    digit: the bullets before it would then be ambiguous, and every pattern is tried."""
    phrases: dict[str, set[str]] = {}
    for kind, listed in kinds.items():
        for phrase in map(fold, listed):
            if phrase:
                phrases.setdefault(phrase, set()).add(kind)
    if not all(re.match(r"[^\W_]", p) for p in phrases):
        return {}
    out = {}
    for phrase in phrases:
        found = set(phrases[phrase])
        for k in range(1, len(phrase)):
            if not _WORD_CHAR.match(phrase[k]) and phrase[:k] in phrases:
                found |= phrases[phrase[:k]]
        out[phrase] = frozenset(found)
    return out


def start_kinds(v: Vocabulary, phrase: str | None) -> frozenset[str]:
    """The kinds of start phrase (START_KINDS) a line whose head any_start matched on
    `phrase` (its group 1) may start with: none without a phrase, every kind when the
    vocabulary cannot tell (Vocabulary.kinds_of)."""
    if phrase is None:
        return frozenset()
    return v.kinds_of.get(phrase, ALL_KINDS)


def _starts_after_newline(phrases: Iterable[str], script: str | None = None) -> re.Pattern[str]:
    """_starts for every line of a text at once: matched after each newline (a literal
    the engine skips to), the leading bullets and icons kept within the line. One scan
    of a page's joined heads instead of one match() a line: a regex call's set-up costs
    as much as the trie it tries (rule_candidates.start_phrases).

    The bullets are skipped possessively (`*+`: never given back) when every phrase
    starts with a word character other than "_": the trie cannot start on a character
    the repeat takes then, so giving one back never helps, and the engine keeps no
    state to try it (some 10% of the scan).

    `script` (one of SCRIPT_FIRSTS): the same scan with the branches regrouped for a
    page written in it, which rejects its lines sooner (below); others: as listed."""
    phrases = list(phrases)
    bullets = r"(?:[^\w\n]|_)*"
    if all(re.match(r"[^\W_]", f[0]) for f in map(fold, phrases) if f):
        bullets += "+"
    if script not in SCRIPT_FIRSTS:
        return re.compile(rf"\n{bullets}({alternation(phrases)})(?!\w)")
    # A line that starts with no phrase (most) was rejected only after the engine had
    # compared its first character with every branch of the trie's first level (64
    # literals: sre's BRANCH goes on to the next alternative after one fails, so all
    # are read whatever their order); on a page in one script, its lines start with
    # that script's characters: those branches are tried first, and the other
    # scripts' behind one class (a lookahead costs some eight literals' comparisons).
    # The first characters of the branches differ, so at most one can match at a
    # line's start: the same matches, in any grouping (issue 16, twenty-first round:
    # the scan 31 -> 25 us a dump).
    low, high = SCRIPT_FIRSTS[script]
    trie = _trie(phrases)
    own = {c: node for c, node in trie.items() if low <= c <= high}
    rest = {c: node for c, node in trie.items() if not low <= c <= high}
    branches = [_trie_pattern(own)] if own else []
    if rest:
        chars = "".join(map(re.escape, sorted(rest)))
        branches.append(f"(?=[{chars}]){_trie_pattern(rest)}")
    return re.compile(rf"\n{bullets}((?:{'|'.join(branches)}))(?!\w)")


def _list(doc: dict[str, object], path: Path, *keys: str) -> list[str]:
    node: object = doc
    for depth, key in enumerate(keys):
        if not isinstance(node, dict):
            raise ValueError(f"{path}: [{'.'.join(keys[:depth])}] must be a table")
        node = node.get(key, [] if depth == len(keys) - 1 else {})
    if not isinstance(node, list) or not all(isinstance(x, str) for x in node):
        raise ValueError(f"{path}: {'.'.join(keys)} must be a list of strings")
    return list(node)


def _months(doc: dict[str, object], path: Path) -> dict[str, int]:
    table = doc.get("months", {})
    names = table.get("names", []) if isinstance(table, dict) else None
    if not isinstance(names, list) or len(names) not in (0, 12):
        raise ValueError(f"{path}: months.names must list the 12 months, each a list of names")
    out: dict[str, int] = {}
    for number, forms in enumerate(names, start=1):
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise ValueError(f"{path}: months.names[{number - 1}] must be a list of strings")
        out.update((fold(f), number) for f in forms)
    return out


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read vocabulary file: {exc}") from exc


def month_names(languages: Iterable[str], folder: Path = DATA) -> dict[str, int]:
    """Folded month name -> 1..12, from these languages' files only: the one table of
    month names is also read outside the cleaner (monitor/text_dates.py), by a step that
    reads Arabic and English reports, where another language's name would make an
    English word a month ("mars")."""
    months: dict[str, int] = {}
    for language in languages:
        path = folder / f"{language}.toml"
        months.update(_months(_read(path), path))
    return months


def load_vocabulary(folder: Path = DATA) -> Vocabulary:
    """Read every <language>.toml in folder. A broken file raises ValueError naming it."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ValueError(f"{folder}: no vocabulary files (*.toml) found")
    merged: dict[str, list[str]] = {}
    stopwords: dict[str, frozenset[str]] = {}
    as_written: dict[str, frozenset[str]] = {}
    months: dict[str, int] = {}
    for path in files:
        doc = _read(path)
        words = _list(doc, path, "stopwords")
        stopwords[path.stem] = frozenset(fold(w) for w in words)
        as_written[path.stem] = frozenset(w.casefold() for w in words)
        for keys in (
            ("boilerplate", "starts"),
            ("boilerplate", "contains"),
            ("boilerplate", "whole"),
            ("cutoff", "markers"),
            ("tags", "labels"),
            ("metadata", "date"),
            ("metadata", "source"),
            ("metadata", "byline"),
            ("caption", "labels"),
            ("caption", "credits"),
            ("caption", "starts"),
            ("metadata", "with"),
            ("metadata", "relative"),
        ):
            merged.setdefault(".".join(keys), []).extend(_list(doc, path, *keys))
        months.update(_months(doc, path))

    def labelled(key: str) -> re.Pattern[str]:
        return re.compile(rf"^[\W_]*({alternation(merged[key])}){SEPARATOR}")

    starting = [
        *merged["boilerplate.starts"],
        *merged["cutoff.markers"],
        *merged["tags.labels"],
        *merged["metadata.date"],
        *merged["metadata.source"],
        *merged["metadata.byline"],
        *merged["caption.labels"],
        *merged["caption.starts"],
        *merged["metadata.with"],
    ]
    return Vocabulary(
        languages=tuple(stopwords),
        stopwords=stopwords,
        stopwords_as_written=as_written,
        starts=_starts(merged["boilerplate.starts"]),
        contains=re.compile(rf"(?<!\w)(?:{alternation(merged['boilerplate.contains'])})(?!\w)"),
        whole=frozenset(fold(w) for w in merged["boilerplate.whole"]),
        cutoff=re.compile(
            rf"^[\W_]*({alternation(merged['cutoff.markers'])})(?!\w)"
            r"(?P<sep>\s*(?:[:：\-–—|»>]|\.\.+|…))?\s*(?P<rest>.*)$"
        ),
        tags=labelled("tags.labels"),
        date_label=re.compile(rf"^[\W_]*({alternation(merged['metadata.date'])})(?!\w)"),
        source_label=labelled("metadata.source"),
        byline_label=re.compile(
            rf"^[\W_]*({alternation(merged['metadata.byline'])})(?!\w)\s*[:：]?\s*"
        ),
        caption_label=labelled("caption.labels"),
        credit=re.compile(rf"(?<!\w)(?:{alternation(merged['caption.credits'])})(?!\w)"),
        months=months,
        caption_starts=_starts(merged["caption.starts"]),
        caption_tail=re.compile(
            rf"(?:{alternation(merged['caption.labels'], word_start=True)})"
            r"\s*[:：]\s*[^.!?:]{2,40}$"
        ),
        with_label=re.compile(rf"^({alternation(merged['metadata.with'])})\s+(?P<value>\S.*)$"),
        relative=re.compile(
            rf"(?:{alternation(merged['metadata.relative'], word_start=True)})(?!\w)"
        ),
        any_start=_starts(starting, group=True),
        starting=tuple(starting),
        longest_phrase=max((len(fold(p)) for p in starting), default=0),
        kinds_of=_kinds_of(
            {
                "starts": merged["boilerplate.starts"],
                "cutoff": merged["cutoff.markers"],
                "tags": merged["tags.labels"],
                "date": merged["metadata.date"],
                "source": merged["metadata.source"],
                "byline": merged["metadata.byline"],
                "caption": merged["caption.labels"],
                "shows": merged["caption.starts"],
                "with": merged["metadata.with"],
            }
        ),
    )
