"""A page's lines as the cleaner's rules read them: one Line a line, built when read.

Line holds what every rule reads of a line (its words, whether it ends like a sentence
or is shaped like a paragraph, whether it is in another script) and the label the first
rule that matched gave it; PageLines holds a page's Lines, built from the columns
lines.measure_page measured the first time a rule reads one (most lines of a page the
line model decides are read by no rule). Apart from lines.py, which measures them,
because every rule module and the driver share these and they hold no rule.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from typing import overload

from monitor.extract.vocabulary import fold

_new = object.__new__  # (a Line without its __init__: PageLines.__getitem__)


class Line:
    """One non-empty line of the input, with the features every rule reads and the label
    the first rule that matched gave it.

    A plain class rather than a dataclass: a page has hundreds of lines, mostly menu
    items, and a dataclass's __init__ setting eleven slots cost 2.6 times as much as
    this one, which sets what differs between lines and leaves the rest to the class."""

    label: str | None = None  # None: body; "title"; or a RemovedLine label
    why: str = ""
    text: str = ""  # what goes into the body (raw, less a dateline)
    foreign: bool = False  # written in another script than the article

    def __init__(
        self, no: int, raw: str, fold: str, words: int, partial: bool, sentence: bool, prose: bool
    ) -> None:
        self.no = no  # 1-based line number in the decoded input
        self.raw = raw  # stripped
        self.fold = fold
        self.words = words
        self.partial = partial  # `fold` holds only the head of a long line
        self.sentence = sentence  # ends like a sentence (perhaps before closing quotes)
        # shaped like a paragraph: LONG_PROSE_WORDS, or PROSE_WORDS and a sentence
        self.prose = prose

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.raw[:40]!r}, label={self.label!r}, why={self.why!r})"

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


class PageLines(Sequence[Line]):
    """A page's Lines, each built on first index from the page's columns.

    A Line a line cost 3.5-4.4% of a dump's CPU time to build and free (issue 16,
    eighteenth round), yet on a page the line model decides the rules read few of them:
    the first lines, the candidates of the structural cascade, some the model keeps (on
    the aeb dumps, 6,925 of 34,880 lines are built). So `lines[i]` builds line i when
    first asked, and a reader that needs only a label or a measure of many lines asks
    the columns (label_of, labels, labels_whys, keys, texts, prose, numbers) without
    building them: a line never built is free (no label) and not foreign (measure_page
    builds the foreign ones), or carries the "read also" cut-off's label when it lies
    below one (cut_after). Iterating builds every line, in order (the hand rules' path
    on short or hard-wrapped texts, training, the tests): the same Lines as building
    them all at once."""

    __slots__ = (
        "_cut",
        "built",
        "folds",
        "numbers",
        "partial",
        "prose",
        "raws",
        "sentence",
        "words",
    )

    def __init__(
        self,
        numbers: list[int],
        raws: list[str],
        folds: list[str],
        words: list[int],
        partial: list[bool],
        sentence: list[bool],
        prose: list[bool],
    ) -> None:
        self.built: list[Line | None] = [None] * len(raws)
        self.numbers, self.raws, self.folds, self.words = numbers, raws, folds, words
        self.partial, self.sentence = partial, sentence
        self.prose = prose  # Line.prose: a foreign line's is cleared here too (measure_page)
        # below this index, a line never built is free; from it on, it has this label
        self._cut: tuple[int, str, str] = (len(raws), "", "")

    def __len__(self) -> int:
        return len(self.built)

    @overload
    def __getitem__(self, i: int) -> Line: ...

    @overload
    def __getitem__(self, i: slice) -> list[Line]: ...

    def __getitem__(self, i: int | slice) -> Line | list[Line]:
        if isinstance(i, slice):
            return list(map(self.__getitem__, range(*i.indices(len(self.built)))))
        line = self.built[i]
        if line is None:
            if i < 0:
                i += len(self.built)
            # Line.__init__'s work done here, on an instance made without calling it: the
            # call's frame cost as much as setting the seven attributes (issue 16,
            # twenty-third round: 6.239 -> 6.217 M instructions a dump)
            line = self.built[i] = _new(Line)
            line.no, line.raw, line.fold = self.numbers[i], self.raws[i], self.folds[i]
            line.words, line.partial = self.words[i], self.partial[i]
            line.sentence, line.prose = self.sentence[i], self.prose[i]
            cut, label, why = self._cut
            if i >= cut:
                line.label, line.why = label, why
        return line

    def __iter__(self) -> Iterator[Line]:
        return map(self.__getitem__, range(len(self.built)))

    def index(self, line: Line, start: int = 0, stop: int = sys.maxsize) -> int:
        """Where a built line stands (lines are compared by identity)."""
        return self.built.index(line, start, stop)

    def label_of(self, i: int) -> str | None:
        """Line i's label, without building it."""
        line = self.built[i]
        if line is not None:
            return line.label
        return self._cut[1] if i >= self._cut[0] else None

    def keys(self, rows: Iterable[int]) -> list[str]:
        """The key (Line.key) of each line of `rows`, without building them."""
        built, raws, folds, partial = self.built, self.raws, self.folds, self.partial
        return [
            (raws[i] if partial[i] else folds[i]) if (x := built[i]) is None else x.key
            for i in rows
        ]

    def labels(self) -> list[str | None]:
        """Every line's label, without building any."""
        cut, label, _ = self._cut
        out: list[str | None] = [None] * cut
        out += [label] * (len(self.built) - cut)
        for i in compress(range(len(out)), self.built):  # (the built ones: a Line is true)
            out[i] = self.built[i].label  # type: ignore[union-attr]
        return out

    def free_at_least(self, count: int) -> bool:
        """Whether `count` lines or more are free (labels().count(None) >= count), read
        in order until that many are found: title() asks for two, which the page's first
        lines give, where building every label cost a pass over the page (issue 16,
        twenty-second round)."""
        label_of = self.label_of
        for i in range(len(self.built)):
            if label_of(i) is None:
                count -= 1
                if count <= 0:
                    return True
        return count <= 0

    def has_label(self, label: str) -> bool:
        """Whether some line carries `label` (label in labels()), without building the
        list: the built lines are asked, and the cut's label stands for the lines below
        it never built."""
        if any(x.label == label for x in filter(None, self.built)):
            return True
        cut, cut_label, _ = self._cut
        return cut_label == label and None in self.built[cut:]

    def labels_whys(self) -> tuple[list[str | None], list[str]]:
        """labels() and every line's reason ("" for a free line), in one pass over the
        built lines, without building any (the driver reads both on the model's page)."""
        cut, label, why = self._cut
        n = len(self.built)
        labels: list[str | None] = [None] * cut
        labels += [label] * (n - cut)
        whys = [""] * cut
        whys += [why] * (n - cut)
        for i in compress(range(n), self.built):
            x = self.built[i]
            labels[i], whys[i] = x.label, x.why  # type: ignore[union-attr]
        return labels, whys

    def texts(self, rows: Iterable[int]) -> list[str]:
        """What each line of `rows` puts into the body (Line.text, else its raw), without
        building them."""
        built, raws = self.built, self.raws
        return [raws[i] if (x := built[i]) is None else x.text or x.raw for i in rows]

    def cut_after(self, i: int, label: str, why: str) -> None:
        """Label every line below line i that is free or a "read also" marker (cut_off):
        the built ones now, the others when built (the cut is the page's last)."""
        for x in filter(None, self.built[i + 1 :]):
            if x.label is None or x.why.startswith("cutoff:"):
                x.label, x.why = label, why
        self._cut = (i + 1, label, why)


def set_label(line: Line, label: str, why: str) -> None:
    """Label a line that has none yet: the first rule to match a line decides it."""
    if line.label is None:
        line.label, line.why = label, why
