"""Arabic spelling habits of foreign names (issue 17, second round): a name listed in one
habit (نو كوانغ تشول, with غ for g) is found in the others (ج), and a variant that is an
everyday Arabic word (المجرب "experienced" from المغرب, Morocco) is never made a name."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def test_a_listed_name_is_found_in_the_other_spelling_habit() -> None:
    names = {
        e.name for e in taggers.entities().tag(Document("وقال وزير الدفاع نو كوانج تشول للصحفيين"))
    }
    assert "No Kwang Chol" in names


def test_a_variant_that_is_an_arabic_word_is_not_a_name() -> None:
    doc = Document("وقال المدرب إن اللاعب المجرب سيعود إلى التشكيلة")
    assert taggers.entities().tag(doc) == ()
