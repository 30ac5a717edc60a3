"""A page's Lines built when first read (page_lines.PageLines) read as if all were built.

The rules read the labels, reasons, keys and texts of lines no rule built from the
page's columns; these tests hold those reads to what the built Lines say, before and
after a "read also" cut-off labelled the lines below it without building them. The
whole cleaner's output is pinned by test_clean_equivalence.py.
"""

from __future__ import annotations

from monitor.extract.clean import default_cleaner
from monitor.extract.lines import main_script, measure_page
from monitor.extract.page_lines import Line, PageLines

# Written for this test (not real news): one long line, so some head is partial.
TEXT = "\n".join(
    [
        "Home",
        "The bridge will stay closed all winter, the council says",
        "",
        "The council said on Monday that repairs to the old bridge would go on through the "
        "winter, and that the ferry would run every hour until the work is finished in spring "
        "next year, when the road reopens to cars and buses from both sides of the river.",
        "Share",
        "Read also",
        "Another story about a road",
        "The ferry is free.",
    ]
)


def page() -> PageLines:
    lines, _ = measure_page(TEXT, main_script(TEXT), default_cleaner()._head_chars)
    return lines


def test_lines_are_built_on_first_read_and_then_the_same_object() -> None:
    lines = page()
    assert len(lines) == 7 and lines.built == [None] * 7
    third = lines[2]
    assert isinstance(third, Line) and lines[2] is third and lines[-5] is third
    assert [i for i, x in enumerate(lines.built) if x is not None] == [2]
    assert lines.index(third) == 2


def test_iterating_builds_every_line_with_the_measures_of_the_columns() -> None:
    lines = page()
    built = list(lines)
    assert [x.no for x in built] == [1, 2, 4, 5, 6, 7, 8]
    assert [x.raw for x in built] == lines.raws
    assert any(x.partial for x in built) and [x.partial for x in built] == lines.partial
    assert [x.prose for x in built] == lines.prose
    assert lines[1:3] == built[1:3]
    # __getitem__ sets Line.__init__'s attributes itself (no call frame): the same Line
    for i, x in enumerate(built):
        made = Line(
            lines.numbers[i],
            lines.raws[i],
            lines.folds[i],
            lines.words[i],
            lines.partial[i],
            lines.sentence[i],
            lines.prose[i],
        )
        assert vars(x) == vars(made)


def test_reads_without_building_agree_with_the_built_lines() -> None:
    lazy, eager = page(), page()
    list(eager)  # every line built
    for lines in (lazy, eager):
        lines[0].label, lines[0].why = "boilerplate", "menu"
        lines[4].label, lines[4].why = "boilerplate", "cutoff:standalone:Read also"
        lines[5].label, lines[5].why = "boilerplate", "cutoff:inline:Read also"  # relabelled
        lines[2].full_fold()  # a rule folded the long line whole: its key changes
        lines.cut_after(4, "boilerplate", "after the cut")
    labels = ["boilerplate", None, None, None, "boilerplate", "boilerplate", "boilerplate"]
    assert lazy.labels() == eager.labels() == labels
    whys = [x.why for x in eager]
    assert lazy.labels_whys() == eager.labels_whys() == (labels, whys)
    assert whys[4:] == ["cutoff:standalone:Read also", "after the cut", "after the cut"]
    for lines in (lazy, eager):
        for count in range(6):
            assert lines.free_at_least(count) == (labels.count(None) >= count)
        assert lines.has_label("boilerplate") and not lines.has_label("caption")
    assert lazy.built[3] is None and lazy.built[6] is None  # read from the columns below
    for i in range(len(eager)):
        assert lazy.label_of(i) == eager[i].label
        assert lazy.keys([i]) == [eager[i].key]
        assert lazy.texts([i]) == [eager[i].text or eager[i].raw]
    assert lazy.built[3] is None and lazy.built[6] is None
    assert lazy[6].why == "after the cut" and lazy[3].label is None  # as labelled when built


def test_the_cut_label_stands_for_the_lines_below_it_never_built() -> None:
    lines = page()
    lines.cut_after(4, "caption", "after the cut")  # (a label no built line has)
    assert lines.built[5] is None and lines.has_label("caption")
    assert not lines.free_at_least(6) and lines.free_at_least(5)
    assert lines[5].label == lines[6].label == "caption"  # (built: they carry it now)
    assert lines.has_label("caption") and not lines.has_label("metadata")
    assert lines.labels_whys() == (lines.labels(), [x.why for x in lines])
