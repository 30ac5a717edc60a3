"""The line classifier: whole saved pages in six languages, then one signal at a time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from extract.saved_pages import FIXTURES, split

from monitor.extract.clean import Cleaner, clean_text
from monitor.extract.vocabulary import load_vocabulary


def labels_of(text: str, title: str | None = None) -> dict[int, str]:
    """1-based line -> label the cleaner gave it ("body" when kept)."""
    cleaned = clean_text(text, title=title)
    removed = {r.line: r.label for r in cleaned.removed}
    return {
        no: removed.get(no, "body") for no, line in enumerate(text.split("\n"), 1) if line.strip()
    }


@pytest.mark.parametrize("language", sorted(FIXTURES))
def test_every_line_of_a_saved_page_gets_its_label(language: str) -> None:
    text, expected = split(FIXTURES[language])
    got = labels_of(text)
    want = {no: "body" if label == "title" else label for no, label in expected.items()}
    assert got == want


@pytest.mark.parametrize("language", sorted(FIXTURES))
def test_title_has_no_site_suffix_and_is_not_in_the_body(language: str) -> None:
    text, expected = split(FIXTURES[language])
    title_no = next(no for no, label in expected.items() if label == "title")
    cleaned = clean_text(text)
    headline = text.split("\n")[title_no - 1]
    assert cleaned.title is not None and headline.startswith(cleaned.title)
    assert "|" not in cleaned.title and " - " not in cleaned.title
    assert headline not in cleaned.body


def test_metadata_of_a_saved_page() -> None:
    cleaned = clean_text(split(FIXTURES["en"])[0])
    assert (cleaned.published, cleaned.source, cleaned.dateline) == (
        "2024-03-03",
        "Reuters",
        "GENEVA (Reuters)",
    )
    assert cleaned.body.startswith("Negotiators from both countries")  # dateline cut off
    arabic = clean_text(split(FIXTURES["ar"])[0])
    assert (arabic.published, arabic.source, arabic.dateline) == ("2024-02-03", "الجزيرة", "عمّان")
    assert arabic.body.startswith("بحث وزير الخارجية")


def test_every_removed_line_says_why_and_keeps_its_text() -> None:
    text, _ = split(FIXTURES["de"])
    lines = text.split("\n")
    for removed in clean_text(text).removed:
        assert removed.why and removed.label in ("boilerplate", "metadata", "caption")
        assert removed.text == lines[removed.line - 1].strip()


# -- body lines that look like furniture must stay -------------------------------------

BODY = (
    "The ministry said on Tuesday that the talks would continue next week in the capital.\n"
    "{line}\n"
    "Officials from both sides declined to comment on the details of the draft agreement."
)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the service will pay more from April, the company said in a statement.",
        "Share prices of the largest operators fell sharply after the announcement on Monday.",
        "Comments by the minister drew criticism from the opposition and from business groups.",
        "Follow-up talks are planned for May, when the delegations will meet in Vienna again.",
        "Related negotiations on fishing rights ended without agreement late on Friday night.",
        "By the end of the day, more than a hundred vessels were waiting outside the port.",
        "Published figures show that exports rose by 3 percent in the first quarter of the year.",
        "Source code for the tracking software was released by the researchers on Wednesday.",
        "What the deal means",
        "He did not elaborate.",
    ],
)
def test_body_sentences_with_furniture_words_are_kept(line: str) -> None:
    got = labels_of(BODY.format(line=line))
    assert got[2] == "body"


@pytest.mark.parametrize(
    "line",
    [
        "وشارك الرئيس في القمة التي عقدت في العاصمة بحضور عدد من القادة العرب والأجانب.",
        "واشترك الجيش في المناورات التي استمرت ثلاثة أيام على الحدود الشمالية للبلاد.",
        "سجل الاقتصاد نموا بنسبة ثلاثة في المئة خلال الربع الأول من العام الجاري.",
        "إعلان الرئيس عن الانتخابات المبكرة فاجأ الأحزاب التي لم تكن مستعدة لها.",
        "المزيد من القوات وصل إلى المنطقة الحدودية خلال الأيام الماضية بحسب مصادر محلية.",
        "مخاوف بشأن الأسلحة",
    ],
)
def test_arabic_body_sentences_with_furniture_words_are_kept(line: str) -> None:
    text = (
        "قالت الوزارة في بيان يوم الثلاثاء إن المحادثات ستستمر الأسبوع المقبل في العاصمة.\n"
        f"{line}\n"
        "ورفض المسؤولون من الجانبين التعليق على تفاصيل مسودة الاتفاق التي لم تنشر بعد."
    )
    assert labels_of(text)[2] == "body"


# -- one signal at a time --------------------------------------------------------------

PARAGRAPHS = [
    "The ministry said on Tuesday that the talks would continue next week in the capital, "
    "where both delegations are expected to present written proposals for the first time.",
    "Officials from both sides declined to comment on the details of the draft agreement, "
    "which diplomats say runs to more than forty pages and covers inspections at sea.",
    "Analysts said the outcome would depend on whether the two governments could agree on "
    "who pays for the monitoring mission that both have said they want in principle.",
    "Markets reacted calmly to the news, with the currency little changed against the dollar "
    "and bond yields slightly lower by the close of trading in the afternoon session.",
]


def test_a_line_seen_before_and_the_headline_after_the_article_are_repeats() -> None:
    headline = "Talks to resume next week in the capital"
    text = "\n".join([headline, *PARAGRAPHS[:2], PARAGRAPHS[0], *PARAGRAPHS[2:], headline])
    cleaned = clean_text(text)
    removed = {r.line: r.why for r in cleaned.removed}
    assert cleaned.title == headline
    assert removed == {4: "repeats line 2", 7: "repeats the headline"}


def test_tag_spam_is_boilerplate() -> None:
    spam = " ".join(["politics economy sport world"] * 4)
    text = "\n".join([*PARAGRAPHS, spam])
    assert labels_of(text)[5] == "boilerplate"


def test_a_list_of_words_without_function_words_is_boilerplate() -> None:
    keywords = "Geneva talks shipments inspections corridor grain insurance delegations"
    text = "\n".join([*PARAGRAPHS[:2], keywords, *PARAGRAPHS[2:]])
    assert labels_of(text)[3] == "boilerplate"


def test_a_line_in_another_script_at_the_edge_is_boilerplate_but_not_inside() -> None:
    arabic = [
        "قالت الوزارة في بيان يوم الثلاثاء إن المحادثات ستستمر الأسبوع المقبل في العاصمة.",
        "ورفض المسؤولون من الجانبين التعليق على تفاصيل مسودة الاتفاق التي لم تنشر بعد.",
        "وقال محللون إن النتيجة ستعتمد على قدرة الحكومتين على الاتفاق بشأن تمويل البعثة.",
        "وأضافوا أن الأسواق تفاعلت بهدوء مع الأنباء، إذ لم يتغير سعر العملة كثيرا أمام الدولار.",
    ]
    notice = "Theme license is not validated, go to the theme options page to validate it."
    quote = (
        "“We will not accept any deal that ignores the inspections,” the minister said in English."
    )
    text = "\n".join([notice, arabic[0], quote, arabic[1], arabic[2], arabic[3]])
    got = labels_of(text)
    assert got[1] == "boilerplate" and got[3] == "body"


def test_an_english_line_at_the_end_of_a_french_article_is_boilerplate() -> None:
    french = [
        "Le gouvernement a présenté mardi un plan de soutien à l'industrie, destiné selon le "
        "ministre à relancer la production dans les régions les plus touchées.",
        "Les syndicats ont salué certaines mesures mais jugé l'ensemble insuffisant pour les "
        "salariés des sites qui ont fermé depuis le début de l'année.",
    ]
    text = "\n".join([*french, "This page was saved with the help of the reader extension."])
    assert labels_of(text)[3] == "boilerplate"


def test_a_headline_between_long_paragraphs_is_a_link_but_a_subheading_is_body() -> None:
    link = "Russia, China and Iran step up their threats: what we need to know"
    text = "\n".join([PARAGRAPHS[0], link, PARAGRAPHS[1], "What comes next", *PARAGRAPHS[2:]])
    got = labels_of(text)
    assert got[2] == "boilerplate" and got[4] == "body"


def test_bracketed_photo_credit_and_the_image_description_beside_it_are_captions() -> None:
    text = "\n\n".join(
        [
            PARAGRAPHS[0],
            PARAGRAPHS[1],
            "The motorcade on its way into the city.  Crowds lined the streets\n"
            "The leaders travelled in a motorcade through the capital [Name Surname/Agency via AP]",
            PARAGRAPHS[2],
        ]
    )
    got = labels_of(text)
    assert got[5] == "caption" and got[6] == "caption"
    assert got[8] == "body"


def test_short_lines_above_the_headline_and_after_the_article_are_furniture() -> None:
    text = "\n".join(
        ["Menu", "World", "Europe", "Talks to resume next week in the capital", *PARAGRAPHS,
         "Newsroom", "Contact the editors"]
    )  # fmt: skip
    got = labels_of(text)
    assert [got[n] for n in (1, 2, 3)] == ["boilerplate"] * 3
    assert [got[n] for n in (9, 10)] == ["boilerplate"] * 2
    assert all(got[n] == "body" for n in range(4, 9))


# -- cut-offs --------------------------------------------------------------------------


def test_read_also_heading_after_the_article_cuts_off_the_other_article() -> None:
    other = [
        "Fishing fleet returns to port after storm",
        "Dozens of fishing boats returned to port on Sunday after a storm damaged nets "
        "and forced crews to abandon the season's last trip, the harbour master said.",
    ]
    text = "\n".join([*PARAGRAPHS, "Read also:", *other])
    cleaned = clean_text(text)
    assert {r.line for r in cleaned.removed} == {5, 6, 7}
    assert "Fishing" not in cleaned.body and "storm" not in cleaned.body


def test_read_also_after_the_articles_footer_cuts_even_a_long_other_article() -> None:
    long_other = [p.replace("talks", "harvest") for p in PARAGRAPHS] * 2
    text = "\n".join([*PARAGRAPHS[:2], "Source: Reuters", "Read also:", *long_other])
    cleaned = clean_text(text)
    assert {r.line for r in cleaned.removed} == set(range(3, 5 + len(long_other)))


def test_inline_read_also_between_paragraphs_removes_only_that_line() -> None:
    text = "\n".join(
        [PARAGRAPHS[0], "Read also: Grain prices fall to a six-month low", *PARAGRAPHS[1:]]
    )
    cleaned = clean_text(text)
    assert [r.line for r in cleaned.removed] == [2]
    assert cleaned.body.count("\n") == len(PARAGRAPHS) - 1


def test_related_heading_in_the_middle_drops_its_links_and_keeps_the_article() -> None:
    text = "\n".join(
        [PARAGRAPHS[0], "Related", "Grain prices fall to a six-month low",
         "Insurers raise premiums for the strait", *PARAGRAPHS[1:]]
    )  # fmt: skip
    cleaned = clean_text(text)
    assert [r.line for r in cleaned.removed] == [2, 3, 4]
    assert all(p in cleaned.body for p in PARAGRAPHS)


# -- odd input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "Share", "\x00\x01 ���", "a\rb\r\nc", "⁂ ⁂\n" * 3, "x" * 10_000]
)
def test_odd_input_never_raises(text: str) -> None:
    cleaned = clean_text(text)
    assert isinstance(cleaned.body, str)


def test_known_title_from_the_page_is_used_and_its_repeat_removed() -> None:
    title = "Talks to resume next week"
    text = "\n".join([title, *PARAGRAPHS, title])
    cleaned = clean_text(text, title=title)
    assert cleaned.title == title
    assert title not in cleaned.body
    assert [r.line for r in cleaned.removed] == [6]


def test_a_broken_vocabulary_file_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text('stopwords = ["a"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"xx\.toml"):
        load_vocabulary(tmp_path)
    (tmp_path / "xx.toml").write_text("stopwords = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"xx\.toml: stopwords must be a list"):
        load_vocabulary(tmp_path)


def test_the_cleaner_runs_on_a_vocabulary_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "en.toml").write_text(
        'stopwords = ["the", "of"]\n[boilerplate]\nstarts = ["buy our mug"]\n', encoding="utf-8"
    )
    cleaner = Cleaner.from_folder(tmp_path)
    cleaned = cleaner.clean("\n".join([*PARAGRAPHS, "Buy our mug today!"]))
    assert [(r.line, r.label) for r in cleaned.removed] == [(5, "boilerplate")]


def test_shipped_vocabulary_covers_six_languages() -> None:
    vocabulary = load_vocabulary()
    assert {"ar", "en", "fr", "de", "es", "ru"} <= set(vocabulary.languages)
    assert len(set(vocabulary.months.values())) == 12


@pytest.mark.parametrize("language", sorted(FIXTURES))
@pytest.mark.parametrize("width", [60, 72])
def test_hard_wrapped_article_text_loses_no_line(language: str, width: int) -> None:
    """Plain-text exports break sentences across lines: shape rules must stand down."""
    text, expected = split(FIXTURES[language])
    lines = text.split("\n")
    body = [lines[no - 1] for no, label in expected.items() if label == "body"]
    wrapped = "\n".join(textwrap.fill(paragraph, width) + "\n" for paragraph in body)
    assert clean_text(wrapped).removed == ()


def test_menus_spaced_by_the_layout_and_two_item_furniture_are_boilerplate() -> None:
    text = "\n".join(
        [
            "Home  World  Business  Markets  Technology  Sports",
            "Talks to resume next week in the capital",
            *PARAGRAPHS[:2],
            "Advertisement · Scroll to continue",
            *PARAGRAPHS[2:],
            "Print    A-    A+",
        ]
    )
    got = labels_of(text)
    assert [got[n] for n in (1, 5, 8)] == ["boilerplate"] * 3
    assert clean_text(text).title == "Talks to resume next week in the capital"


def test_masthead_above_the_headline_is_not_the_title() -> None:
    text = "\n".join(
        [
            "Le Courrier Économique — L'actualité des marchés",
            "L'inflation ralentit en mars",
            *PARAGRAPHS,
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.title == "L'inflation ralentit en mars"
    assert labels_of(text)[1] == "boilerplate"


def test_author_box_after_the_article_starts_with_the_bylines_name() -> None:
    bio = "Mark Ellison is our defence correspondent. He has reported from Kyiv and Brussels."
    mention = "Mark Ellison contributed to an earlier version of this report, the editors said."
    text = "\n".join(["Arms imports to Europe nearly doubled", "By Mark Ellison", *PARAGRAPHS, bio])
    assert labels_of(text)[7] == "boilerplate"
    # Without a byline, a sentence naming a person at the end is the article's.
    assert labels_of("\n".join([*PARAGRAPHS, mention]))[5] == "body"


@pytest.mark.parametrize(
    ("line", "label", "source"),
    [
        ("(AFP)", "metadata", "AFP"),
        ("Avec Reuters", "metadata", "Reuters"),
        ("Mit Material von dpa", "metadata", "dpa"),
        ("منذ ٣ ساعات", "metadata", None),
        ("3 hours ago", "metadata", None),
        ("Reporting by Min-ji Park; Editing by Tom Hale", "metadata", None),
        ("Firefighters secure a flooded street. REUTERS/Jane Roe", "caption", None),
        ("Die Atomanlage im Zentrum des Landes. Foto: picture alliance/dpa", "caption", None),
        ("قاعة الجمعية العامة خلال التصويت في نيويورك (أ ب)", "caption", None),
    ],
)
def test_credits_times_and_captions(line: str, label: str, source: str | None) -> None:
    text = "\n".join([PARAGRAPHS[0], line, *PARAGRAPHS[1:]])
    assert labels_of(text)[2] == label
    assert clean_text(text).source == source


def test_a_short_line_ending_in_a_score_or_year_is_not_a_credit() -> None:
    text = "\n".join(
        [
            *PARAGRAPHS[:2],
            "23' Penalty converted low to the keeper's left (1-0)",
            "The treaty signed that spring (1991)",
            *PARAGRAPHS[2:],
        ]
    )
    got = labels_of(text)
    assert got[3] == "body" and got[4] == "body"


def test_a_dateline_agency_is_the_source_when_no_credit_line_says_otherwise() -> None:
    text = "\n".join(["SEOUL (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:]])
    assert clean_text(text).source == "Reuters"
    assert clean_text(text + "\nSource: Yonhap").source == "Yonhap"


def test_the_stored_form_of_the_removed_lines_is_made_from_the_columns() -> None:
    """CleanText keeps its removed lines as columns (models.RemovedColumns); the JSON the
    store keeps is made from them, and must be what removed_json makes of the lines."""
    from monitor.models import RemovedLine, removed_json

    odd = "Home\nNews\n\ud800 lone surrogate \u200f\n" + "\n".join(
        f'Line {i} "quoted" \\ back\tslash, صباح الخير {i}.' for i in range(30)
    )
    for text in (odd, "Only one line.", ""):
        cleaned = clean_text(text)
        assert all(type(r) is RemovedLine for r in cleaned.removed)
        assert cleaned.removed_columns.json() == removed_json(cleaned.removed)
        assert list(zip(*cleaned.removed_columns, strict=True)) == list(cleaned.removed)
    assert clean_text(odd).removed  # (the test saw some lines)
