"""Background word frequencies: how common a story term is in Arabic and English at large,
so that a young store already knows that Putin, Russia and a visit are everyday words and a
defence minister's name or a treaty is not.

Why: the story step weighs terms by inverse document frequency. Counted in the store alone,
the frequencies mean nothing while the store is young: in a stream that starts empty, the
second report of another event with the same actors shares every heavy term with the first
(issue 18: the 2024 visit folded into the 2023 one). A fixed background gives the same
weights from the first article on; as the store grows, its own counts take over (the
background counts as `weight` documents, see Background.prior_df).

The table is derived from wordfreq 3.1.1's `large_ar` and `large_en` lists (Robyn Speer,
CC BY-SA 4.0; built from Wikipedia, subtitles, news, books, web text): every word passed
through the story step's own term function (normalisation, the Arabic article cut), the
frequencies of the words that fold into one term added up, kept when the term's Zipf value
is at least MIN_ZIPF. Shipped as a derived table rather than wordfreq itself: the step needs
the frequencies of its own folded terms, which wordfreq would have to refold for hundreds of
thousands of words at every start, and wordfreq brings four more dependencies.

    python -m monitor.background build   # needs wordfreq (the dev extra); rewrites the table
"""

from __future__ import annotations

import gzip
import hashlib
import math
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a table is read: the module stays light to import
    from monitor.tagging.sorted_table import SortedTable

TABLE = Path(__file__).with_name("data") / "background.tsv.gz"
MIN_ZIPF = 2.5  # rarer terms are all equally rare here: a name nobody writes weighs most
# Zipf = log10 of occurrences per billion words. A document of DOC_WORDS words contains a
# term of frequency f with probability 1 - exp(-DOC_WORDS * f): its document frequency.
DOC_WORDS = 400
_PROCLITICS = frozenset("وفبكل")  # and, so, with, like, for: written joined to the word
FOLD_MARGIN = 1.0  # the word without its clitic must be ten times as common to be folded


class BackgroundError(RuntimeError):
    """The shipped table cannot be read; the message names it and what to do."""


class Background:
    """Document frequencies from the background table, as a share of documents."""

    def __init__(self, zipf: dict[str, float] | SortedTable, weight: float) -> None:
        self._zipf = zipf
        self.weight = weight  # how many documents the background counts as

    @classmethod
    def shipped(cls, weight: float, cache: Path | None = None) -> Background:
        """The shipped table; `cache`: the folder of compiled vocabularies to keep it in
        as a sorted table, read back ready-made (tagging/compiled.py), or None to parse it."""
        return cls(_load(TABLE, cache), weight)

    def warm_up(self) -> None:
        """The table as a dict now (a daemon's warm-up), not on some article's time."""
        from monitor.tagging.sorted_table import SortedTable

        if isinstance(self._zipf, SortedTable):  # read from the cache (_load)
            self._zipf.promote()

    def zipf(self, term: str) -> float:
        """The term's Zipf value; 0 when the table does not hold it (rarer than MIN_ZIPF)."""
        return self._zipf.get(term, 0.0)

    def share(self, term: str) -> float:
        """The share of documents that contain the term."""
        zipf = self._zipf.get(term, MIN_ZIPF - 0.5)
        return -math.expm1(-DOC_WORDS * 10 ** (zipf - 9))

    def fold(self, term: str) -> str:
        """An Arabic term without a leading clitic (و ف ب ك ل, and their pairs) when the
        rest is a much more common word: وموسكو and لبوتين are موسكو and بوتين, but بوتين
        stays بوتين (وتين is rarer). The story step cuts only the article itself; a
        clitic-bearing form is rare in any list, so unfolded it would pass for a telling
        term that two reports of one event happen to share, or happen not to.
        (NOTES.md: never strip clitics blindly, names break.)"""
        if len(term) < 4 or term[0] not in _PROCLITICS:
            return term
        own = self._zipf.get(term, 0.0)
        cuts = [1, 2] if term[0] in "وف" and term[1] in "بكل" else [1]
        for cut in cuts:
            rest = term[cut:]
            if len(rest) >= 3 and self._zipf.get(rest, 0.0) >= own + FOLD_MARGIN:
                return self.fold(rest)  # وبصواريخ: و, then ب
        return term

    def prior_df(self, term: str) -> float:
        """The documents the background adds to a term's count (out of `weight`)."""
        return self.weight * self.share(term)


@lru_cache(maxsize=2)
def _load(path: Path, cache: Path | None = None) -> dict[str, float] | SortedTable:
    """Read once per process (the story step and the mention finder share it). Parsing
    the 108,596 rows of text costs about 0.1 s of every `monitor ingest`; with a cache
    folder the table is kept there after the first parse, keyed by the table's bytes, and
    read back (marshal) as a SortedTable in a third of that; a dict without a cache."""
    if cache is None:
        return _parse(path)
    from monitor.tagging.compiled import VocabularyCache

    try:
        digest = hashlib.sha256(b"background-2\n" + path.read_bytes()).hexdigest()[:40]
    except OSError as exc:
        raise BackgroundError(_unreadable(path, exc)) from exc
    from monitor.tagging.sorted_table import PROMOTE_AFTER, SortedTable, is_packed, pack

    # Stored sorted (sorted_table.py): a one-file ingest looks up a few hundred words and
    # does not hash the 108,000 keys into a dict; a process that goes on does, later.
    packed = VocabularyCache(cache).get(
        f"background-{digest}", lambda: pack(_parse(path)), is_packed
    )
    return SortedTable(packed, promote_after=PROMOTE_AFTER)


def _unreadable(path: Path, exc: Exception) -> str:
    return (
        f"{path}: cannot read the background word frequencies ({exc}); reinstall "
        "monitor, or rebuild the table with `python -m monitor.background build`"
    )


def _parse(path: Path) -> dict[str, float]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows = (line.rstrip("\n").split("\t") for line in lines if line.strip())
            return {term: float(zipf) for term, zipf in rows}
    except (OSError, ValueError) as exc:
        raise BackgroundError(_unreadable(path, exc)) from exc


def build(term_of: Callable[[str], list[str]], path: Path = TABLE) -> int:
    """Write the table from wordfreq's lists; returns the number of terms kept."""
    from wordfreq import iter_wordlist, word_frequency  # the dev extra: build time only

    total: dict[str, float] = {}
    for lang in ("ar", "en"):
        for word in iter_wordlist(lang, "large"):
            f = word_frequency(word, lang)
            if f < 10 ** (MIN_ZIPF - 9) / 4:
                break  # the list is in descending order; what is left cannot add up
            for term in term_of(word):
                total[term] = total.get(term, 0.0) + f
    kept = sorted(
        ((t, math.log10(f) + 9) for t, f in total.items() if math.log10(f) + 9 >= MIN_ZIPF),
        key=lambda kv: (-kv[1], kv[0]),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.writelines(f"{t}\t{z:.2f}\n" for t, z in kept)
    return len(kept)


def main(argv: list[str]) -> None:
    if argv[:1] != ["build"]:
        raise SystemExit("usage: python -m monitor.background build")
    from monitor.term_forms import terms

    print(f"{build(lambda word: list(terms(word)))} terms -> {TABLE}")


if __name__ == "__main__":
    main(sys.argv[1:])
