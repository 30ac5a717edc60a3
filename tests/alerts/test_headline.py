"""An untitled article's alert still says what it is about (monitor/text/headline.py)."""

from __future__ import annotations

from monitor.alerts.render import Renderer
from monitor.text.headline import headline

BODY = (
    "وافق الرئيس على التوجه إلى العاصمة بدعوة من نظيره، في زيارة تتناول التعاون العسكري "
    "بين البلدين وتسليم معدات إلى الجيش، حسبما ذكرت وكالة الأنباء الرسمية يوم الخميس."
)


def test_a_title_is_the_headline() -> None:
    assert headline({"title": "Kim arrives", "snippet": BODY}) == "Kim arrives"


def test_no_title_gives_the_body_start_cut_at_a_word() -> None:
    got = headline({"title": None, "snippet": BODY})
    assert got.startswith("(no title) وافق الرئيس")
    assert got.endswith(" …") and len(got) <= len("(no title) ") + 82
    cut = got.removeprefix("(no title) ").removesuffix(" …")
    assert BODY.startswith(cut) and BODY[len(cut)] == " "  # whole words only


def test_a_short_body_is_shown_whole_and_nothing_at_all_stays_plain() -> None:
    assert headline({"title": "", "snippet": "Short  text.\n"}) == "(no title) Short text."
    assert headline({"title": None}) == "(no title)"
    assert headline({}) == "(no title)"


def test_a_bulleted_summary_loses_its_list_marks_not_its_words() -> None:
    assert headline({"snippet": "- " + BODY}).startswith("(no title) وافق الرئيس")
    assert (
        headline({"snippet": "• * Kim arrives - in Moscow"}) == "(no title) Kim arrives - in Moscow"
    )
    assert headline({"snippet": "-5 degrees in Pyongyang"}) == "(no title) -5 degrees in Pyongyang"


def test_a_digest_lists_untitled_items_by_their_first_words() -> None:
    payload = {
        "rule": "hourly",
        "kind": "digest",
        "count": 2,
        "since": "2026-12-04T10:00:00+00:00",
        "items": [
            {"title": None, "snippet": BODY, "topics": ["arms_transfers"], "origin": "a.txt"},
            # a digest stored before items carried a snippet
            {"title": None, "topics": ["sanctions"], "origin": "b.txt"},
        ],
    }
    _, text = Renderer().render(payload)
    assert "- (no title) وافق الرئيس" in text
    assert "- (no title)\n" in text
