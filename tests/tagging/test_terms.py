"""The matcher: Arabic clitics and suffixes around every word, look-alikes refused."""

from __future__ import annotations

import re

import pytest

from monitor.tagging.terms import Document, Matcher, Term


def found(term: str, text: str, affixes: str = "word") -> list[str]:
    doc = Document(text)
    matcher = Matcher([Term(term, "t", affixes=affixes)])  # type: ignore[arg-type]
    return [" ".join(doc.tokens[h.start : h.end]) for h in matcher.find(doc)]


@pytest.mark.parametrize(
    "form",
    ["عقوبات", "العقوبات", "بالعقوبات", "وبالعقوبات", "فالعقوبات", "للعقوبات", "وعقوبات",
     "عقوباتها", "عقوباتهم", "عُقُوبَات", "عقـــوبات", "والعقوبات"],
)  # fmt: skip
def test_arabic_clitics_suffixes_marks_and_tatweel(form: str) -> None:
    assert found("عقوبات", f"قالت الوزارة إن {form} ستستمر") != []


@pytest.mark.parametrize("form", ["عقوبة", "العقوبة", "عقوبته", "عقوبتها", "بعقوبتين", "العقوبات"])
def test_ta_marbuta_turns_to_ta_before_suffixes(form: str) -> None:
    assert found("عقوبة", f"نص على {form} في القرار") != []


@pytest.mark.parametrize(
    ("term", "lookalike"),
    [("سلاح", "سلاحف"), ("عقوبة", "عقبة"), ("سلاح", "مسلاح"), ("قمة", "قمامة"), ("نووي", "نواة")],
)
def test_lookalikes_are_not_matched(term: str, lookalike: str) -> None:
    assert found(term, f"شاهدنا {lookalike} على الشاطئ") == []


def test_each_word_of_a_phrase_takes_its_own_clitics() -> None:
    assert found("قمر صناعي", "أطلقت كوريا القمر الصناعي الثاني") == ["القمر الصناعي"]
    assert found("كوريا الشمالية", "زيارة لكوريا الشمالية") == ["لكوريا الشماليه"]  # normalised
    # a phrase needs its words in order and next to each other
    assert found("قمر صناعي", "قمر كبير صناعي") == []


def test_latin_case_accents_and_inflection() -> None:
    assert found("sanction", "The EU SANCTIONED three banks; new Sanctions follow.") == [
        "sanctioned",
        "sanctions",
    ]
    assert found("nucléaire", "le programme NUCLEAIRE iranien") == ["nucleaire"]
    assert found("=UN", "UN envoys and unions") == ["un"]


def test_prefix_terms_for_many_endings() -> None:
    assert found("санкци*", "Новые санкциями и санкций") == ["санкциями", "санкции"]  # й folds to и
    with pytest.raises(ValueError, match="letters"):
        found("ab*", "abc")


def test_names_take_proclitics_only_and_are_never_cut() -> None:
    assert found("بوتين", "قال لبوتين وبوتين فبوتين", affixes="name") == [
        "لبوتين",
        "وبوتين",
        "فبوتين",
    ]
    # no suffix on a name, and no stripping of a name's first letter as a clitic
    assert found("بوتين", "البوتينات", affixes="name") == []
    matcher = Matcher([Term("وتين", "a", affixes="name"), Term("بوتين", "b", affixes="name")])
    assert [matcher.terms[h.term].owner for h in matcher.find(Document("بوتين لوتين"))] == [
        "b",
        "a",
    ]
    assert found("الناتو", "للناتو والناتو", affixes="name") == ["للناتو", "والناتو"]


def test_document_tokens_and_snippets_in_the_original_spelling() -> None:
    text = "العنوان\n" + "كلمة " * 60 + "فرضت الولاياتُ المتحدة عقوباتٍ جديدة " + "كلمة " * 60
    doc = Document(text)
    normalised = "\n".join(doc.norm_lines)
    assert doc.tokens == re.findall(r"\w+", normalised)  # \w+ runs of the normalised text
    i = doc.tokens.index("عقوبات")
    snippet = doc.snippet(i)
    assert "عقوباتٍ" in snippet and len(snippet) <= 170 and snippet.startswith("…")
    assert Document("").tokens == [] and Document("").snippet(0) == ""


@pytest.mark.parametrize(
    "text",
    [
        'snake_case words, U.S.-led talks (2024); «قال» الوزير: "نعم"… e-mail\'s 3.5%',
        "كلمة،كلمة؟ كلمة؛كلمة — word–word ‘quoted’ [x] {y} <z> a/b a\\b #tag @user $5",
        "",
        "\n\n",
        "\u200bزيرو\u200cويدث ٣٤ ½ ① x²\nline two\n\n  spaced   line  \nآخر_سطر",
    ],
)
def test_document_tokens_are_the_word_runs_of_each_line(text: str) -> None:
    # Punctuation, underscores, digits of other scripts, marks inside words and empty
    # lines: the tokens are still re.findall(r"\w+") of each normalised line.
    doc = Document(text)
    assert doc.tokens == [t for n in doc.norm_lines for t in re.findall(r"\w+", n)]
    assert doc.line_start == [
        sum(len(re.findall(r"\w+", n)) for n in doc.norm_lines[:i])
        for i in range(len(doc.norm_lines))
    ]


def test_two_topics_reaching_one_form_both_count() -> None:
    matcher = Matcher([Term("weapon", "nuclear"), Term("weapons", "arms")])
    owners = {matcher.terms[h.term].owner for h in matcher.find(Document("nuclear weapons"))}
    assert owners == {"nuclear", "arms"}


def test_the_article_after_the_preposition_lam_and_before_a_lam() -> None:
    # ل + ال + لاذقية is written للاذقية: two lams, not three
    assert found("اللاذقية", "وصل للاذقية أمس", affixes="name") == ["للاذقيه"]
    assert found("لبناني", "قال للبنانيين") == ["للبنانيين"]
    assert found("الحكومة", "انتقد الحكومتين") == ["الحكومتين"]
