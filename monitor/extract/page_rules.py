"""The rules that label a line by where it stands in the whole text.

Run after every line has been labelled by itself (line_rules.py), in this order by the
driver (clean.py): "read also" markers cut the text or drop their links; the headline
among the first lines (navigation above it); repeats of a line or of the headline; the
lines before the first and after the last paragraph (another language, short lines,
listed headlines); what stands between paragraphs (keyword lists, linked headlines,
image descriptions); an author's biography; and the dateline of the first paragraph.
Apart from line_rules.py because each needs its neighbours or the whole text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from operator import and_

import numpy as np

from monitor.extract.line_arrays import LineArrays
from monitor.extract.lines import (
    AUTHOR_BOX_LINES,
    CAPTION_MAX_WORDS,
    EDGE_LANGUAGE_LINES,
    HEAD_LINES,
    KEYWORD_LIST_WORDS,
    LINK_LIST_MIN_WORDS,
    ORPHAN_MEDIAN_WORDS,
    ORPHAN_WORDS,
    SHORT_WORDS,
    WORD,
)
from monitor.extract.metadata import split_dateline, strip_site_suffix
from monitor.extract.page_lines import Line, PageLines, set_label
from monitor.extract.vocabulary import Vocabulary, fold

# "Le Courrier Économique — L'actualité des marchés": a short name, a dash, a short slogan.
_MASTHEAD = re.compile(r"^(?:\S+\s+){0,3}\S+\s+[-–—]\s+(?:\S+\s+){0,6}\S+$")
_ANY_PUNCT = re.compile(r"[.,،;؛:!?؟…]")
_BULLET = re.compile(r"^[-•*–—·▪►]\s")
# _between_candidates' bounds on the word counts (int32, as measure_page counts them) and
# the gap between line numbers (int64), as 0-d arrays: a ufunc given a Python int
# converts it a call (issue 16, twenty-second round; comparisons: the same masks)
_KEYWORD_WORDS, _ORPHAN_LOW, _ORPHAN_HIGH, _CAPTION_WORDS = (
    np.array(x, dtype=np.int32) for x in (KEYWORD_LIST_WORDS, *ORPHAN_WORDS, CAPTION_MAX_WORDS)
)
_ONE_GAP = np.array(1, dtype=np.int64)


def _kept_or_all(lines: PageLines, kept: list[bool] | None) -> list[bool]:
    """The line model's verdicts (bool per line), or True for every line where it did
    not decide: a line is free for a rule when it is unlabelled and kept."""
    return [True] * len(lines) if kept is None else kept


class PageRules:
    """Built once from the vocabulary; the rules are then pure and thread-safe."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._v = vocabulary
        self._stop_langs: dict[str, tuple[str, ...]] = {}
        for lang, words in vocabulary.stopwords.items():
            for w in words:
                self._stop_langs[w] = (*self._stop_langs.get(w, ()), lang)

    def cut_off(self, lines: PageLines, markers: list[int] | None = None) -> None:
        """Resolve "read also" markers: cut to the end, or drop the marker and its links.
        `markers`: the indices of the lines labelled as markers, when the caller knows."""
        if markers is None:
            markers = [i for i, x in enumerate(lines) if x.why.startswith("cutoff:")]
        n, prose = len(lines), lines.prose
        for i in markers:  # a marker below may have been relabelled: checked again
            line = lines[i]
            if not line.why.startswith("cutoff:"):
                continue
            _, kind, marker = line.why.split(":", 2)
            # (the labels and measures of other lines read from the page's columns: no
            # Line built for them, PageLines)
            j = i - 1  # the line above that is not the title
            while j >= 0 and lines.label_of(j) == "title":
                j -= 1
            after_footer = j >= 0 and lines.label_of(j) in ("boilerplate", "metadata")
            # (filtered inside the generator: any() over the tests resumed it a line)
            below = compress(range(i + 1, n), prose[i + 1 :])
            rest_prose = next((True for j in below if lines.label_of(j) is None), False)
            # (the article's text above and below the heading summed only when it decides:
            # two passes over the page a marker, most of them not needed)
            ends = after_footer or not rest_prose
            if not ends and kind == "standalone":
                free = [label is None for label in lines.labels()]
                raws = lines.raws
                ends = sum(map(len, compress(raws[i + 1 :], free[i + 1 :]))) < sum(
                    map(len, compress(raws[:i], map(and_, free[:i], prose[:i])))
                )
            if ends:
                line.why = f"'{marker}' heading: what follows is another article or a list of links"
                # (every free line and marker below labelled, built or not: PageLines)
                lines.cut_after(i, "boilerplate", f"after the '{marker}' heading: not this article")
                return
            if kind == "inline":
                line.why = f"link to another article ('{marker}: ...') inside the body"
                continue
            line.why = f"'{marker}' heading inside the body"
            listed = f"link listed under the '{marker}' heading"
            for j in range(i + 1, n):
                x = lines[j]
                if x.label is not None or x.prose:
                    break
                set_label(x, "boilerplate", listed)

    def title(self, lines: PageLines, known: str | None, shaped: bool = True) -> Line | None:
        """The headline among the first lines; short lines above it are navigation."""
        head = [x for x in lines[:HEAD_LINES] if x.label is None]
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
        candidates: list[Line] = []
        for x in head:
            if x.foreign:
                continue
            if self._headline_shaped(x):
                candidates.append(x)
            if x.prose:
                break
        if (
            not candidates
            or candidates[0] is lines[-1]
            or not lines.free_at_least(2)  # (fewer than two free lines)
        ):
            return None
        # A masthead ("Site Name — slogan") on the page's first line, above another
        # headline-shaped line, is the site's, not the article's.
        if len(candidates) >= 2 and candidates[0] is head[0] and _MASTHEAD.match(candidates[0].raw):
            set_label(candidates[0], "boilerplate", "site name and slogan above the headline")
            candidates = candidates[1:]
        title = next((x for x in candidates if x.words > SHORT_WORDS), candidates[0])
        for x in lines[: lines.index(title)]:
            if x.label is None and x.words <= SHORT_WORDS and not x.sentence:
                set_label(x, "boilerplate", "short line above the headline (navigation)")
            elif x.label is None and x is head[0] and _MASTHEAD.match(x.raw) and not x.sentence:
                set_label(x, "boilerplate", "site name and slogan above the headline")
        title.label = "title"
        return title

    @staticmethod
    def _headline_shaped(line: Line) -> bool:
        raw = line.raw
        return (
            2 <= line.words <= 35
            and len(raw) <= 300
            and not raw.endswith((".", ":", "،", ",", ";", "؛"))
            and not _BULLET.match(raw)
            and split_dateline(raw)[0] is None
        )

    def repeats(
        self,
        lines: PageLines,
        title_line: Line | None,
        known: str | None,
        kept: list[bool] | None = None,
    ) -> None:
        """A line seen before, above all the headline repeated after the article.
        `kept` (a page the line model decides: its verdicts, bool per line): only
        repeats of the headline, among the lines it keeps; the model judges other
        repeated lines as well without the rule (cross-validated F1 0.876 against 0.874
        with it, docs/cleaning.md), and not building the dict of every line is cheaper."""
        seen: dict[str, int] = {}
        if known is not None:
            seen.update(dict.fromkeys(_title_forms(known), 0))
        if title_line is not None:
            seen[title_line.key] = 0
            seen.update(dict.fromkeys(_title_forms(title_line.raw), 0))
        if kept is not None:
            if not seen:
                return
            # (Line.key, read inline: one pass over the lines the model keeps, no property
            # call a line; its length asked first: a line's text is fresh, and hashing
            # every paragraph to look it up cost more than the rest of the rule)
            sizes = set(map(len, seen))
            # (Line.key from the columns, where no rule has built the line: PageLines)
            rows = list(compress(range(len(lines)), kept))
            for i in [
                i
                for i, key in zip(rows, lines.keys(rows), strict=True)
                if len(key) in sizes and key in seen
            ]:
                x = lines[i]
                if x is not title_line and x.label is None:
                    set_label(x, "boilerplate", "repeats the headline")
            return
        for x in lines:
            if x is title_line or x.label is not None:
                continue
            key = x.raw if x.partial else x.fold  # Line.key, without a property call a line
            first = seen.get(key)
            if first is not None:
                why = "repeats the headline" if first == 0 else f"repeats line {first}"
                set_label(x, "boilerplate", why)
            else:
                seen[key] = x.no

    def edges(
        self,
        lines: PageLines,
        script: str | None,
        language: str | None,
        shaped: bool,
        kept: list[bool] | None = None,
    ) -> None:
        """Lines before the first and after the last paragraph of the article.
        `kept` (a page the line model decides: its verdicts, bool per line): on the
        lines it keeps, and only lines in another script or language. Short lines
        after the last paragraph are the model's (it reads "below the last
        paragraph"), and it overrules the rule for lists of headlines
        (line_model.MODEL_OVERRULES): on the lines it keeps, that rule would change
        nothing."""
        n = len(lines)
        after_model = kept is not None
        kept = _kept_or_all(lines, kept)
        if language:
            # A sentence in another language at either end (a reader extension's note at
            # the bottom of a French page) is not the article's first or last paragraph.
            edge = min(EDGE_LANGUAGE_LINES, n)
            for side in (range(edge), range(n - 1, n - 1 - edge, -1)):
                for i in side:
                    if not kept[i]:
                        continue
                    x = lines[i]
                    if x.label is not None:
                        continue
                    if x.partial:  # a long paragraph: the article's own, or cut elsewhere
                        break
                    other = self._other_language(x, language)
                    if other is None:
                        break
                    set_label(
                        x, "boilerplate", f"written in '{other}', the article in '{language}'"
                    )
        # the first and last paragraph, looked for from either end (not a pass over all);
        # here and below only the kept lines are visited (compress, in C: on the model's
        # page it removes most of the lines outside the article)
        # (the prose and labels read from the page's columns: PageLines)
        prose, label_of = lines.prose, lines.label_of
        first = next(
            (i for i in compress(range(n), kept) if prose[i] and label_of(i) is None),
            None,
        )
        if first is None:
            return
        last = next(
            i
            for i in compress(range(n - 1, first - 1, -1), reversed(kept[first:]))
            if prose[i] and label_of(i) is None
        )
        outside = itertools.chain(range(first), range(last + 1, n))
        for i in compress(outside, itertools.chain(kept[:first], kept[last + 1 :])):
            x = lines[i]
            if x.label is not None:
                continue
            if x.foreign:
                set_label(x, "boilerplate", f"not in the article's script ({script}) at its edge")
            elif (
                language
                and x.words >= 5  # _other_language's first test, spared a call a line
                and (other := self._other_language(x, language))
            ):
                set_label(x, "boilerplate", f"written in '{other}', the article in '{language}'")
            elif (
                shaped
                and not after_model
                and i > last
                and x.words <= SHORT_WORDS
                and not x.sentence
            ):
                set_label(x, "boilerplate", "short line after the end of the article")
        if not shaped or after_model:
            return
        # Headlines listed after the article (links to others): two or more in a row,
        # with nothing of the article after them. A single unpunctuated line may be the
        # article's last paragraph, and one followed by a sentence may be wrapped text.
        run: list[Line] = []
        for x in [*lines[last + 1 :], None]:
            if x is not None and x.label is not None:
                continue
            if x is not None and x.words >= LINK_LIST_MIN_WORDS and not x.sentence:
                run.append(x)
                continue
            if len(run) >= 2 and (x is None or (x.words < LINK_LIST_MIN_WORDS and not x.sentence)):
                for y in run:
                    set_label(y, "boilerplate", "list of headlines after the article (links)")
            run = []

    def _other_language(self, line: Line, language: str) -> str | None:
        if line.words < 5:  # too short to tell (checked first: most lines at the edges)
            return None
        words = WORD.findall(line.full_fold())
        if not self._v.stopwords.get(language, frozenset()).isdisjoint(words):
            return None  # a function word of the page's language: most lines (in C)
        counts: dict[str, int] = {}
        for word in words:
            for lang in self._stop_langs.get(word, ()):
                counts[lang] = counts.get(lang, 0) + 1
        if line.words < 5 or counts.get(language, 0) > 0 or not counts:
            return None
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] >= 2 else None

    def between_paragraphs(
        self,
        lines: PageLines,
        stop: frozenset[str],
        arrays: LineArrays | None = None,
        kept: list[bool] | None = None,
    ) -> None:
        """Keyword lists, linked headlines and image descriptions between paragraphs.
        `kept` (a page the line model decides: its verdicts, bool per line): a line it
        removes counts as removed here."""
        kept = _kept_or_all(lines, kept)
        # the median length of the paragraphs still body
        # (the kept lines picked first, in C: on the model's page a third of the lines;
        # their words, prose and labels read from the page's columns, PageLines; the
        # label asked of the kept paragraphs only, not listed for every line)
        words, prose, label_of = lines.words, lines.prose, lines.label_of
        lengths = sorted(
            [words[i] for i in compress(range(len(lines)), kept) if prose[i] and not label_of(i)]
        )
        median = lengths[len(lengths) // 2] if lengths else 0
        if arrays is not None:  # _paragraphs_blank_separated, over the line numbers at once
            gaps = (arrays.nos[1:] - arrays.nos[:-1]) > _ONE_GAP  # (np.diff: more Python)
            blank_separated = bool(len(gaps)) and np.count_nonzero(gaps) >= 0.7 * len(gaps)
        else:
            blank_separated = _paragraphs_blank_separated(lines)
        # An image description is labelled only beside a caption, and only this rule adds
        # captions here: on a page without one, no line is visited for it.
        captioned = blank_separated and lines.has_label("caption")
        maybe = self._between_candidates(lines, arrays, bool(stop), median, captioned)
        # (the lines the model removes left out in C: most of a page's)
        for i in compress(maybe, map(kept.__getitem__, maybe)):
            if lines.label_of(i) is not None:  # (not built for that: PageLines)
                continue
            x = lines[i]
            if (
                x.words >= KEYWORD_LIST_WORDS
                and stop
                and not x.sentence
                and not _ANY_PUNCT.search(x.raw)
                and stop.isdisjoint(WORD.findall(x.full_fold()))
            ):
                set_label(x, "boilerplate", "a list of words without one function word")
                continue
            if median >= ORPHAN_MEDIAN_WORDS and self._orphan_headline(lines, i, kept):
                set_label(x, "boilerplate", "headline-like line between paragraphs: a link")
                continue
            if (
                blank_separated
                and (not x.sentence or x.words <= CAPTION_MAX_WORDS)
                and _beside_caption(lines, i)
            ):
                set_label(x, "caption", "image description attached to a caption")

    @staticmethod
    def _between_candidates(
        lines: PageLines, at: LineArrays | None, stop: bool, median: int, blank: bool
    ) -> Sequence[int]:
        """The lines one of between_paragraphs' three rules may label, by their shape
        alone (the rules also read labels, which change as they go, so they test them).
        Without the page's arrays: every line."""
        if at is None:
            return range(len(lines))
        # One rule's lines hold another's: an image description's (not a sentence, or
        # short) every line the other two may label (neither is a sentence), and a
        # keyword list's (not a sentence, KEYWORD_LIST_WORDS words or more) an orphan
        # headline's (ORPHAN_WORDS: more). So the widest mask the page asks for is made
        # alone, not three joined: some seven numpy calls a page fewer (issue 16,
        # twenty-third round, with clean.py's threshold: 6.217 -> 6.193 M instructions a
        # dump). On bools a | ~b is a >= b, and a & ~b is a > b: one call.
        words, sentence = at.words, at.sentence
        if blank:
            maybe = (words <= _CAPTION_WORDS) >= sentence
        elif stop:
            maybe = (words >= _KEYWORD_WORDS) > sentence
        elif median >= ORPHAN_MEDIAN_WORDS:
            maybe = ((words >= _ORPHAN_LOW) & (words <= _ORPHAN_HIGH)) > sentence
        else:
            return []
        return maybe.nonzero()[0].tolist()

    @staticmethod
    def _orphan_headline(lines: PageLines, i: int, kept: list[bool]) -> bool:
        x = lines[i]
        low, high = ORPHAN_WORDS
        if not low <= x.words <= high or x.sentence or x.raw.endswith((":", "،", ",")):
            return False

        # the nearest lines above and below that are not boilerplate (walked by index:
        # slicing the page twice for each candidate cost more than the walk)
        # (a line the model removes counts as boilerplate)
        def removed(j: int) -> bool:
            label = lines.label_of(j)
            return label == "boilerplate" or (label is None and not kept[j])

        j = i - 1
        while j >= 0 and removed(j):
            j -= 1
        k = i + 1
        while k < len(lines) and removed(k):
            k += 1
        if j < 0 or k >= len(lines):
            return False
        label_of, prose = lines.label_of, lines.prose
        return label_of(j) is None and label_of(k) is None and prose[j] and prose[k]

    def author_box(self, lines: PageLines) -> None:
        """A short biography after the article starts with the byline's name."""
        names = {
            " ".join(w.strip(",;|") for w in x.raw.split()[len(m.group(1).split()) :][:2])
            for x in lines
            if x.label == "metadata" and (m := self._v.byline_label.match(x.fold))
        }
        names.discard("")
        if not names:
            return
        tail = [x for x in lines if x.label is None][-AUTHOR_BOX_LINES:]
        for x in tail:
            if x.words <= 60 and any(x.raw.startswith(name) for name in names):
                set_label(x, "boilerplate", "author box: a biography of the byline's author")

    def dateline(self, lines: PageLines, paragraph: bool = False) -> str | None:
        """The dateline opening the first body line ("GENEVA (Reuters) -"), cut from it.
        `paragraph`: the first body line shaped like a paragraph, where the line model
        has yet to remove the free lines above it (a share button, a menu)."""
        if paragraph:
            # (on the model's page, only the paragraphs are visited: compress, in C; their
            # labels read from the page's columns, PageLines)
            at = next(
                (i for i in compress(range(len(lines)), lines.prose) if lines.label_of(i) is None),
                None,
            )
            first = None if at is None else lines[at]
        else:
            first = next((x for x in lines if x.label is None), None)
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


def _paragraphs_blank_separated(lines: PageLines) -> bool:
    """Whether the page separated paragraphs with blank lines (then two lines without one
    between them belong together, like an image's description and its caption)."""
    gaps = [b.no - a.no > 1 for a, b in itertools.pairwise(lines)]
    return bool(gaps) and sum(gaps) >= 0.7 * len(gaps)


def _beside_caption(lines: PageLines, i: int) -> bool:
    # (the neighbours' numbers and labels read from the page's columns: PageLines)
    no, numbers, label_of = lines.numbers[i], lines.numbers, lines.label_of
    return (i > 0 and numbers[i - 1] == no - 1 and label_of(i - 1) == "caption") or (
        i + 1 < len(lines) and numbers[i + 1] == no + 1 and label_of(i + 1) == "caption"
    )
