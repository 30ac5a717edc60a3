"""Arabic unlisted names on new publishers (issue 17, tag17ah): the general rules.

Sentences marked (train) follow excerpts of the real set's train split
(tests/data/tagging/real_ar.jsonl); the others were written for this test, with names the
gazetteer does not list. Each case failed before the rule it checks.
"""

from __future__ import annotations

from taggers import unlinked


def test_a_first_name_shared_with_a_linked_person_is_another_person() -> None:
    """(train, rar-401) another Vladimir beside a linked Vladimir Putin is still found; the
    linked person's own full name is not repeated as unlinked."""
    text = (
        "وكان الرئيس الروسي فلاديمير بوتين قد عين السفير الجديد. واستقبل الوزير "
        "بالرباط، فلاديمير بايباكوف، الذي قدم أوراق اعتماده."
    )
    assert unlinked(text) == ["فلاديمير بايباكوف"]
    assert unlinked("وقال الرئيس فلاديمير بوتين إن المحادثات مستمرة.") == []
