"""Compiled vocabularies on disk: the same tags as a fresh compile, and a bad file rebuilt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.tagging import terms
from monitor.tagging.compiled import VocabularyCache, cache_folder
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document, Matcher, Term
from monitor.tagging.topics import TopicTagger

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
TERMS = [
    Term("عقوبات", "sanctions"),
    Term("كوريا الشمالية", "nk"),
    Term("sanction*", "sanctions"),
    Term("=UN", "un"),
    Term("بوتين", "putin", affixes="name"),
    Term("فلاديمير بوتين", "putin", affixes="name"),
]
TEXT = "فرضت الأمم المتحدة وبالعقوبات على كوريا الشمالية وقال لبوتين فلاديمير بوتين sanctioned UN"


def _never_compile(_terms: object) -> object:
    raise AssertionError("compiled although the cache held the tables")


def test_default_vocabularies_from_the_cache_tag_as_a_fresh_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taxonomy, gazetteer = load_taxonomy(), load_gazetteer()
    fresh = TopicTagger(taxonomy), EntityTagger(gazetteer)
    cache = VocabularyCache(tmp_path)
    first = TopicTagger(taxonomy, cache), EntityTagger(gazetteer, cache)
    assert list(tmp_path.glob("*.vocab")) == []  # nothing compiled before first use
    for path in SEEDS:  # every table a seed needs: topics, their anchors, entities
        doc = Document(path.read_text(encoding="utf-8"))
        first[0].tag(doc), first[1].tag(doc)
    assert len(list(tmp_path.glob("*.vocab"))) == 4  # and the anchors' forms
    assert SEEDS
    docs = [Document(path.read_text(encoding="utf-8")) for path in SEEDS]
    wanted = [(fresh[0].tag(doc), fresh[1].tag(doc)) for doc in docs]  # compiled here
    monkeypatch.setattr(terms, "_compile", _never_compile)
    second = TopicTagger(taxonomy, cache), EntityTagger(gazetteer, cache)
    for doc, want in zip(docs, wanted, strict=True):
        assert want[0] and want[1]  # the seeds are about sanctions, weapons, leaders
        assert (second[0].tag(doc), second[1].tag(doc)) == want
        assert (first[0].tag(doc), first[1].tag(doc)) == want


def _hits(matcher: Matcher) -> list[tuple[int, int, int]]:
    return [tuple(h) for h in matcher.find(Document(TEXT))]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # a partial write
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped
        lambda b: b"",  # empty
        lambda b: b"\x00" * len(b),  # garbage
        lambda b: b[:30],  # cut inside the header
    ],
)
def test_a_damaged_cache_file_is_rebuilt_not_fatal(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    want = _hits(Matcher(TERMS))
    assert len(want) >= 5
    cache = VocabularyCache(tmp_path)
    _hits(Matcher(TERMS, cache))
    (path,) = tmp_path.glob("*.vocab")
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert _hits(Matcher(TERMS, cache)) == want
    assert path.read_bytes() == good  # written again, whole


def test_a_file_of_the_wrong_shape_is_rebuilt(tmp_path: Path) -> None:
    cache = VocabularyCache(tmp_path)
    key = cache.key("terms", [(t.text, t.owner, t.affixes) for t in TERMS])
    cache.save(key, {"not": "tables"})
    assert _hits(Matcher(TERMS, cache)) == _hits(Matcher(TERMS))
    assert isinstance(cache.load(key), tuple)


def test_an_unwritable_folder_costs_a_compile_only(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    cache = VocabularyCache(blocked / "monitor")
    assert _hits(Matcher(TERMS, cache)) == _hits(Matcher(TERMS))


def test_other_terms_other_key(tmp_path: Path) -> None:
    cache = VocabularyCache(tmp_path)
    one = cache.key("topics", [("sanctions", "a", "word")])
    assert one == cache.key("topics", [("sanctions", "a", "word")])
    assert one != cache.key("topics", [("sanctions", "b", "word")])
    assert one != cache.key("topics", [("sanctions", "a", "name")])
    assert one != cache.key("entities", [("sanctions", "a", "word")])
    assert one != cache.key("topics", [("sanction", "sa", "word")])


def test_a_bad_term_fails_at_construction_with_a_cache_too(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ab\\*"):
        Matcher([Term("ab*", "t")], VocabularyCache(tmp_path))


_WRITER = """
import sys
from pathlib import Path
from monitor.tagging.compiled import VocabularyCache
from monitor.tagging.terms import Matcher, Term, _compile, _stored
TERMS = [Term(*t) for t in {terms!r}]
cache = VocabularyCache(Path(sys.argv[1]))
key = cache.key("terms", [(t.text, t.owner, t.affixes) for t in TERMS])
for _ in range(15):
    Matcher(TERMS, cache).load()
    cache.save(key, _stored(_compile(TERMS)))
"""


def test_concurrent_writers_leave_one_whole_file(tmp_path: Path) -> None:
    script = _WRITER.format(terms=[(t.text, t.owner, t.affixes) for t in TERMS])
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)]) for _ in range(3)]
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    cache = VocabularyCache(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [cache.path(_key(cache)).name]
    assert cache.load(_key(cache)) == terms._stored(terms._compile(TERMS))


def _key(cache: VocabularyCache) -> str:
    return cache.key("terms", [(t.text, t.owner, t.affixes) for t in TERMS])


def test_cache_folder() -> None:
    assert cache_folder({"CACHE_DIRECTORY": "/var/cache/monitor"}) == Path("/var/cache/monitor")
    assert cache_folder({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/monitor")
    assert cache_folder({"HOME": "/h"}) == Path("/h/.cache/monitor")
    assert cache_folder({"HOME": "/"}) is None
    assert cache_folder({}) is None
