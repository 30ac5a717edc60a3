"""Where the line model decides a page, only the structural hand rules run (issue 16's
speed target): menus, navigation words and furniture phrases are the model's to remove,
with the model's reason, while the title, date, source, captions and "read also" cut-offs
are still the rules'. Also the shortcut this path leans on: the date rule's digit count."""

from __future__ import annotations

import re
from itertools import product

from monitor.extract.clean import Cleaner, clean_text, default_cleaner
from monitor.extract.html import AFTER_TRAFILATURA
from monitor.extract.metadata import DateParser
from monitor.extract.rule_candidates import DATE_MIN_DIGITS
from monitor.extract.vocabulary import fold, load_vocabulary

# Written for this test (not real news): eight paragraphs, long enough to be an article.
ARTICLE = [
    f"The ministry said on day {i} that the talks would continue next week in the capital, "
    "where both delegations are expected to present written proposals for the first time, "
    "and officials from both sides declined to comment on the details of the draft."
    for i in range(1, 9)
]
MENU = ["Home", "World", "Business", "Markets"]
SIDEBAR = ["Opinion", "Sport", "Video", "Tech", "Weather"]  # left between paragraphs
FOOTER = ["About us", "Contact", "Careers", "Privacy policy", "Terms of use", "Advertise"]
PAGE = [
    *MENU,
    "Talks to resume next week after months of delay",
    "Published: 3 March 2024",
    *ARTICLE[:4],
    "Delegates arrive at the ministry on Monday (AP Photo/Jane Doe)",
    *ARTICLE[4:],
    "Source: Reuters",
    *FOOTER,
    "Read also:",
    "Grain prices fall to a six-month low as harvest estimates rise",
]


def test_menu_words_below_the_headline_are_left_to_the_model() -> None:
    """Before, the navigation rule labelled a menu word anywhere ("site navigation or
    button"), and the model only confirmed it; now below the headline it is the model's
    line to judge. Above the headline the rules still label the menu: the title is found
    among the lines they leave."""
    text = "\n".join([*PAGE[:9], *SIDEBAR, *PAGE[9:]])
    cleaner = default_cleaner()
    page = cleaner.label_lines(text)
    assert page is not None
    labels = {x.raw: (x.label, x.why) for x in page.lines}
    assert labels["World"] == ("boilerplate", "site navigation or button")
    assert all(labels[word] == (None, "") for word in SIDEBAR)
    every_rule = cleaner.label_lines(text, for_model=False)
    assert every_rule is not None
    assert {x.raw: x.why for x in every_rule.lines}["Sport"] == "site navigation or button"


def test_the_structural_rules_still_decide_title_metadata_captions_and_cut_offs() -> None:
    cleaned = clean_text("\n".join(PAGE))
    assert cleaned.body.split("\n") == ARTICLE
    assert cleaned.title == "Talks to resume next week after months of delay"
    assert (cleaned.published, cleaned.source) == ("2024-03-03", "Reuters")
    removed = {r.text: (r.label, r.why) for r in cleaned.removed}
    assert removed["Published: 3 March 2024"] == ("metadata", "publication date")
    assert removed["Source: Reuters"] == ("metadata", "source credit")
    assert removed[PAGE[10]][0] == "caption"
    assert removed["Read also:"][1].startswith("'Read also' heading: what follows is another")
    assert removed[PAGE[-1]][1] == "after the 'Read also' heading: not this article"


def test_the_hand_rules_alone_still_run_every_rule() -> None:
    """Without a model (and on short texts) nothing is left to it: the navigation rule
    labels the menu as before."""
    text = "\n".join([*PAGE[:9], *SIDEBAR, *PAGE[9:]])
    cleaned = Cleaner(load_vocabulary(), model=None).clean(text)
    why = {r.text: r.why for r in cleaned.removed}
    assert all(why[word] == "site navigation or button" for word in SIDEBAR)


def test_every_date_the_parser_reads_has_at_least_the_digits_the_rule_asks_for() -> None:
    """The date rule skips lines with fewer digits than DATE_MIN_DIGITS without asking the
    parser: every form it reads, in every month name of the vocabulary, with the
    shortest day, must have that many."""
    vocabulary = load_vocabulary()
    parser = DateParser(vocabulary.months)
    years = ("2024", "٢٠٢٤")
    forms = [
        f"{day} {month} {year}"
        for day, month, year in product(("5", "٥"), vocabulary.months, years)
    ]
    forms += [f"{month} 5, 2024" for month in vocabulary.months]
    forms += ["2024-3-5", "2024/3/5", "5/3/2024", "5.3.2024", "5-3-2024"]
    for text in forms:
        assert parser.parse(fold(text)), text
        assert len(re.findall(r"\d", text)) >= DATE_MIN_DIGITS, text
    # The other side of the shortcut: what has fewer digits the parser reads as no date,
    # so skipping it changes nothing.
    months = [m for m in vocabulary.months if m.isalpha()][:40]
    short = [f"{m} 2024" for m in months] + [f"5 {m}" for m in months]
    short += ["© 2024", "2024", "5/3/24", "٢٠٢٤"]
    for text in short:
        assert len(re.findall(r"\d", text)) < DATE_MIN_DIGITS, text
        assert not parser.parse(fold(text)), text


def test_text_cut_from_html_still_runs_every_rule_it_keeps() -> None:
    """The HTML path (`only`) runs no model, so every hand rule runs there: a menu word
    in trafilatura's text is still removed by the navigation rule."""
    text = "\n".join([*PAGE[:9], *SIDEBAR, *PAGE[9:]])
    cleaned = default_cleaner().clean(text, only=AFTER_TRAFILATURA)
    why = {r.text: r.why for r in cleaned.removed}
    assert all(why.get(word) == "site navigation or button" for word in SIDEBAR)
