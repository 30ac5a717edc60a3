"""Event words shared by Arabic and English (event_lexicon.py): a report meets a story told
only in the other language on its names and on its event concepts (visit / زيارة), in a
stream (Stories.judge) and in a batch's grouping (story_linkage.py) alike. In-process, on
small vectors and the shipped lexicon: the rule itself, not a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from story_records import features as _features
from story_records import row as _row

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import ARABIC, LATIN, content_dot, name_cosine, scripts
from monitor.event_lexicon import EventLexicon, shipped
from monitor.novelty import name_novelty
from monitor.story_linkage import average_linkage
from monitor.story_model import Group, merge_profile
from monitor.term_forms import terms

# The English story of the EU's 16th sanctions package (two reports' vectors summed).
STORY = {
    "sanctions": 1.1,
    "package": 0.9,
    "@European Union": 0.8,
    "@Russia": 0.6,
    "@Kaja Kallas": 0.3,
    "#sanctions": 1.0,
    "#package": 0.8,
}
# An Arabic report of it that names someone the story never had (another official),
# and tells the same event: a package of sanctions.
ARABIC_SAME_EVENT = {
    "عقوبات": 0.55,
    "حزمه": 0.5,
    "@European Union": 0.35,
    "@Russia": 0.45,
    "@Antonio Costa": 0.3,
    "#sanctions": 0.5,
    "#package": 0.45,
}
# A look-alike of the same actors: a visit and talks, not a sanctions package.
ARABIC_OTHER_EVENT = {
    **{k: v for k, v in ARABIC_SAME_EVENT.items() if not k.startswith("#")},
    "#visit": 0.5,
    "#talks": 0.45,
}


def test_one_event_word_in_either_language_and_any_form_is_one_concept() -> None:
    lexicon = shipped()
    found = {t: lexicon.concept(t) for t in terms("وبزيارته لزيارة الزيارة visited visits")}
    assert set(found.values()) == {"visit"}, found
    found = {t: lexicon.concept(t) for t in terms("العقوبات بالعقوبات sanctioned sanctions")}
    assert set(found.values()) == {"sanctions"}, found
    # Only lexicon words match: a name that looks like a clitic and a word stays nothing.
    assert lexicon.concept("بوتين") is None
    assert lexicon.concept("putin") is None


def test_a_bad_lexicon_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("# comment\nvisit\tvisit\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicon\.tsv:2: expected concept<TAB>English"):
        EventLexicon.load(path)


def test_concepts_are_in_no_script_and_out_of_the_same_language_cosine() -> None:
    assert scripts(ARABIC_SAME_EVENT) == ARABIC
    only_concepts = {"#sanctions": 1.0}
    assert content_dot(only_concepts, STORY) == 0.0
    assert name_cosine(ARABIC_SAME_EVENT, STORY, 0.5) >= name_cosine(ARABIC_SAME_EVENT, STORY)


def test_a_story_profile_keeps_its_words_beside_its_concepts() -> None:
    words = {f"w{k}": 1.0 + k / 1000 for k in range(100)}
    concepts = {f"#c{k}": 5.0 for k in range(10)}
    profile = merge_profile({}, [*words.items(), *concepts.items()])
    assert set(words) | set(concepts) == set(profile)


def test_agreeing_concepts_let_a_report_with_a_new_name_meet_the_lower_bar() -> None:
    """The report names an official the story never had (novelty over `novelty`), so on
    names alone it needs cross_language_similarity; its concepts agree with the story's,
    so it meets cross_novel_similarity; the look-alike, with names alike and other event
    words, does not."""
    same, other = _features(ARABIC_SAME_EVENT, ARABIC), _features(ARABIC_OTHER_EVENT, ARABIC)
    assert name_novelty([same], STORY) > 0.1
    assert 0.7 <= name_cosine(ARABIC_SAME_EVENT, STORY) < 0.9
    stories = stories_from(StoriesConfig())
    judged = stories.judge(Group.of([same]), _row(STORY))
    assert judged is not None and judged[1]
    judged = stories.judge(Group.of([other]), _row(STORY))
    assert judged is not None and not judged[1]
    off = stories_from(StoriesConfig(concept_similarity=0, concept_share=0))
    judged = off.judge(Group.of([same]), _row(STORY))
    assert judged is not None and not judged[1]


def test_a_batch_groups_the_two_languages_by_the_same_rule() -> None:
    english = _features(STORY, LATIN)
    for cut, together in ((ARABIC_SAME_EVENT, True), (ARABIC_OTHER_EVENT, False)):
        labels, _ = average_linkage(
            stories_from(StoriesConfig()), [english, _features(cut, ARABIC)]
        )
        assert (labels[0] == labels[1]) is together
    labels, _ = average_linkage(
        stories_from(StoriesConfig(concept_similarity=0, concept_share=0)),
        [english, _features(ARABIC_SAME_EVENT, ARABIC)],
    )
    assert labels[0] != labels[1]
