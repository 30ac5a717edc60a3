"""Arabic arms-transfer reports as real news writes them (issue 17): drones are most often
"طائرات بدون طيار", the receiving side's verbs (تلقت، تسلمت) name a delivery as much as the
sender's, and fighter spare parts are shipped like weapons. The rules alone must find them;
a drone with no delivery in a non-military story stays untagged."""

from __future__ import annotations

import pytest

from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def rules() -> TopicTagger:
    return TopicTagger(load_taxonomy())


@pytest.mark.parametrize(
    "text",
    [
        "اتهمت كييف إيران بتزويد روسيا بطائرات بدون طيار انتحارية استخدمها الجيش الروسي.",
        "قال مسؤول أمريكي إن روسيا تلقت صواريخ باليستية وطائرات دون طيار من إيران.",
        "شحنت شركة صينية قطع غيار لمقاتلات روسية إلى شركات الدفاع الروسية الخاضعة للعقوبات.",
        # a delivery announced in the future tense (the verb's prefix س, which the matcher's
        # clitics leave alone: eleventh session)
        "أعلن وزير الدفاع الروسي أن موسكو ستسلم منظومات دفاع جوي إلى دمشق خلال أسبوعين.",
        "قال مسؤول في كييف إن الحلفاء سيرسلون دبابات حديثة قبل نهاية العام.",
    ],
)
def test_a_delivery_in_these_words_is_an_arms_transfer(rules: TopicTagger, text: str) -> None:
    assert "arms_transfers" in {t.topic for t in rules.tag(Document(text))}


def test_a_camera_drone_is_not(rules: TopicTagger) -> None:
    text = "صور المصور حفل الزفاف بطائرة بدون طيار فوق شاطئ الإسكندرية."
    assert "arms_transfers" not in {t.topic for t in rules.tag(Document(text))}
