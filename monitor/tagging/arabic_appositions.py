"""Arabic names that no title cue introduces: after a nationality adjective, and before a
title in apposition (issue 17).

mentions.py finds a name in the words after a title (السفير، وزير، المتحدث باسم). Real news
also names people in two other ways the title path cannot see:

- after a country's adjective that follows a noun no title list holds: المعارض الروسي أليكسي
  نافالني, "the Russian dissident ..."; من بينهم الروسي أليكسي ماكاروف; الروسيان سيرغي ...
  وسيرغي ...، والأمريكي كريستوفر ويليامز (crews, sanctions lists, players);
- before a title set off by a comma: بهروز كمالوندي، المتحدث باسم منظمة الطاقة الذرية.

Without capitals, what tells a name from the words that follow an adjective (الجانب الروسي
يرى، الجيش الروسي قصف مواقع) is the name's first word: a first name the news commonly
transliterates (سيرغي، كريستوفر: listed below, as frequent in the background counts as many
nouns) or a word rare in everyday Arabic (كمالوندي، ماكاروف). Every other word of the name
must pass the name-word test mentions.py applies after a title. Words are normalised
(monitor.text.normalize).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress

from monitor.tagging.arabic_word_shapes import (
    NAME_PARTS,
    coordinated_name,
    family_nisba,
    name_text,
    without_and,
)
from monitor.tagging.arabic_word_shapes import PUNCT as _PUNCT
from monitor.tagging.arabic_word_shapes import word_list as _words

# A word rarer than this in the background counts (about one per million) is no everyday
# Arabic word: a transliterated name (ماكاروف، كمالوندي) or a rare family name.
RARE_ZIPF = 3.0


# First names Arabic news transliterates most (Russian, Ukrainian, Korean, Western,
# Iranian), in their usual spellings, normalised. Listed because the background counts
# make them as common as nouns (كارلوس 4.4, سيرغي 3.4).
FIRST_NAMES = frozenset(
    _words(
        """سيرغي سيرجي سيرجيه اليكسي الكسي اليكسي الكسندر الكساندر اليكسندر فلاديمير ديمتري
    دميتري ميخاييل ميخائيل نيكولاي ايغور ايجور اندريه اندري يوري ايفان بافل اوليغ اوليج
    فاليري غينادي جينادي يفغيني يفجيني مكسيم ماكسيم انطون كونستانتين بوريس فيكتور فاسيلي
    دينيس اناتولي رومان فيتالي فولوديمير اولكسندر اولكسي ميكولا دميترو بيترو فاديم
    ارتيوم ارتيم غريغوري جريجوري ستانيسلاف ليونيد ماريا انا ايلينا يلينا اولغا اولجا
    ناتاليا ناتاليا ايرينا تاتيانا سفيتلانا يوليا فالنتينا لاريسا كسينيا داريا
    كاترينا يكاترينا ايكاترينا ليودميلا لودميلا غالينا جالينا اناستاسيا فاليريا
    يفغينيا كريستينا فيرونيكا
    جيمس جون مايكل ديفيد دافيد روبرت ريتشارد ويليام وليام توماس كريستوفر كريستوفير
    مارك بول ستيفن ستيف جورج بيتر انتوني انطوني دونالد جو جوزيف ماركو ماثيو ماتيو
    دانيال دانييل باتريك كيفن برايان بريان اريك تشارلز فرانك سكوت جيفري جيف لويد
    ليندا ماري جنيفر اليزابيث سارة كارين نانسي باربرا كاترين كاثرين هيلاري ميشيل
    كارلوس خوسيه لويس انطونيو بيدرو خوان فرانسيسكو مانويل ريكاردو فرناندو جان بيير
    ايمانويل فرانسوا جاك هانز اولاف انجيلا كلاوس فولفغانغ اورسولا كايا جوزيب
    بنيامين نفتالي يايير بهروز محمدرضا غلامرضا رضا حسن"""
    )
)

# The listed first names that are no Arabic word (جو "weather", جان "jinn", بول, مارك, ماري
# and the Arabic names are left out): one of these before a name word starts a name anywhere,
# title or not ("بالرباط، فلاديمير بايباكوف", "خلفا لـ فاليريان شوفايف" is not: no list).
PLAIN_FIRST_NAMES = (
    FIRST_NAMES
    - frozenset(_words("جو جان بول مارك ماري جاك لويس انا كايا رومان بيتر مانويل ستيف جيف اريك"))
    - NAME_PARTS
)

# Arab first names that are seldom anything else in news text (not حسن "good", عمر "age",
# سعيد "happy", منصور, سلطان): one of these before a name word starts a name with no title
# around it (أحمد الشيخي، محمود عباس), as a transliterated first name does.
ARAB_FIRST_NAMES = frozenset(
    _words(
        """محمد احمد عبدالله خالد يوسف ابراهيم مصطفي محمود طارق وليد هشام سامي عمرو
    اسماعيل سليمان زكريا داود حسام فيصل ماجد نايف سعود فهد هاني نبيل اشرف جاسم حمدان
    طلال يحيي ايمن اسامه ياسر زياد رامي باسم انس بندر عبدالعزيز عبدالرحمن عبدالملك
    عبدالفتاح عبدالكريم عبدالمجيد مريم فاطمه زينب عايشه"""
    )
)
# The first names that start a name with no cue: both lists.
_CUE_FIRST_NAMES = PLAIN_FIRST_NAMES | ARAB_FIRST_NAMES
# A name's head waits for its complement (عبد القادر): a run that ends on one is cut short.
_HEADS = frozenset(_words("عبد ابو بن ابن"))

APPOSITION_TITLES = frozenset(
    _words(
        """متحدث متحدثه المتحدث المتحدثه الناطق الناطقه ناطق رييس رييسه الرييس الرييسه نايب
    نايبه وزير وزيره مدير مديره المدير المديره سفير سفيره السفير السفيره مندوب المندوب
    مستشار المستشار مستشاره المستشاره قايد القايد المبعوث مبعوث امين الامين وكيل مساعد
    مساعده محافظ المحافظ حاكم عضو لاعب مدافع مهاجم حارس مدرب"""
    )
)
# Words before an Arab first name that make it a later part of a name, or a title's name.
_NAME_OR_TITLE = FIRST_NAMES | NAME_PARTS | ARAB_FIRST_NAMES | _HEADS | APPOSITION_TITLES
# Words a name after an Arab first name does not end on: a head waits for its complement,
# a title is the construct's (محمد إبراهيم مهاجم الزمالك).
_NO_NAME_END = _HEADS | APPOSITION_TITLES
# The indefinite titles of those, which take a name right before them with no comma when
# they head a construct (أمين بسيوني رئيس اللجنة, كاليدو كوليبالي لاعب الهلال).
_CONSTRUCT_TITLES = frozenset(w for w in APPOSITION_TITLES if not w.startswith("ال"))
# The first names, and the same after "and" (وكاترينا تيخونوفا, the second of two names):
# a first name still.
FIRST_NAME_CUES = _CUE_FIRST_NAMES | frozenset("و" + w for w in _CUE_FIRST_NAMES)
_TRIGGERS = APPOSITION_TITLES | FIRST_NAME_CUES  # name_starts' cues besides the adjectives
_COMMA = ("،", ",")

NotName = Callable[[str, str], bool]  # (normalised word, raw word) -> not a name word


COMMON_NAME_ZIPF = 4.0  # an Arabic first name no list holds is rarer than this (نزيه)


def starts_like_name(
    word: str, zipf: Callable[[str], float], bar: float = COMMON_NAME_ZIPF
) -> bool:
    """A word a name can start with after a comma: a listed first name, or a word less
    common than everyday words (قبيل، "shortly before", is commoner); `bar` RARE_ZIPF
    after a country's adjective, where only a rare word starts one."""
    return word in FIRST_NAMES or word in NAME_PARTS or zipf(word) < bar


def _is_name(
    words: list[str], raw_first: str, zipf: Callable[[str], float], foreign: bool = False
) -> bool:
    """Two or three words are a name here when the first is a listed first name, or when
    every one is rare in everyday Arabic (كمالوندي، ماكاروف); a quoted first word is a
    product or a phrase ("إيجيبت سات", "برقاقات متكاملة"), not a person. `foreign`: after
    a country's adjective a transliterated name of two words may hold a syllable Arabic
    text uses otherwise (والأمريكي ريك ماستراكيو، الكرواتي بورنا جوجو): both under the bar
    of a common first name and one of them rare is enough."""
    if len(words) < 2 or raw_first[:1] in "\"«“'":
        return False
    first = words[0]
    if first in FIRST_NAMES or first in NAME_PARTS:
        return True
    scores = [zipf(w) for w in words]
    if foreign and len(words) == 2 and max(scores) < COMMON_NAME_ZIPF and min(scores) < RARE_ZIPF:
        return True
    return all(z < RARE_ZIPF for z in scores)


def _run(
    norm: list[str],
    raw: list[str],
    k: int,
    not_name: NotName,
    zipf: Callable[[str], float],
    most: int = 3,
) -> int:
    """The end of a run of name words starting at k (k when there is none); a third word
    that is "and" before another name (وكاترينا) ends it."""
    j = k
    while j < len(norm) and j - k < most:
        if not_name(_PUNCT.sub("", norm[j]), raw[j]):
            break
        if j - k >= 2 and coordinated_name(norm[j], zipf):
            break
        j += 1
        if _PUNCT.search(raw[j - 1][-1:]):
            break
    return j


def nationality_names(
    norm: list[str],
    raw: list[str],
    adjectives: frozenset[str],
    not_name: NotName,
    zipf: Callable[[str], float],
) -> Iterable[str]:
    """Names right after a linked country's adjective (الروسي أليكسي ماكاروف), and the
    names coordinated with them (الروسيان سيرغي ... وسيرغي ...)."""
    n = len(norm)
    # A word with punctuation on it ("الروسي،") ends the phrase: it is not looked up.
    for i in [i for i, w in enumerate(norm) if w in adjectives]:
        if i + 1 >= n or _PUNCT.search(raw[i][-1:]):
            continue
        k = i + 1
        while k < n:
            end = _run(norm, raw, k, not_name, zipf)
            words = [_PUNCT.sub("", w) for w in norm[k:end]]
            if not _is_name(words, raw[k], zipf):
                # A transliterated name of two words holding a syllable Arabic text uses
                # (ريك ماستراكيو); a third word is not read so (بمجموعتين, "in two sets").
                if not _is_name(words[:2], raw[k], zipf, foreign=True):
                    break
                end = k + 2
            yield name_text(raw[k:end])
            # "... وسيرغي ميكايف": a second name joined by و to the first.
            if end >= n or _PUNCT.search(raw[end - 1][-1:]) or not norm[end].startswith("و"):
                break
            norm = without_and(norm, end)
            raw = without_and(raw, end)
            k = end


def apposition_names(
    norm: list[str],
    raw: list[str],
    not_name: NotName,
    zipf: Callable[[str], float],
) -> Iterable[str]:
    """Names set off before a title: بهروز كمالوندي، المتحدث باسم ... (two or three name
    words before the comma, the first of them a first name or a rare word), or right before
    an indefinite title that heads a construct (أمين بسيوني رئيس اللجنة)."""
    n = len(norm)
    # Only a word with a comma on it or before a construct title is looked at (compress()
    # in C: most lines hold neither).
    marks = map(_comma_or_title, raw[1 : n - 1], norm[2:n])
    for k in compress(range(1, n - 1), marks):
        if raw[k].endswith(_COMMA):
            if _PUNCT.sub("", norm[k + 1]) not in APPOSITION_TITLES:
                continue
        elif not (  # no comma: "X Y رئيس اللجنة", the title in the construct state
            norm[k + 1] in _CONSTRUCT_TITLES
            and k + 2 < n
            and norm[k + 2].startswith(("ال", "لل"))
            and not _PUNCT.search(raw[k][-1:])
            and not _PUNCT.search(raw[k + 1][-1:])
        ):
            continue
        start = k + 1
        while start > 0 and k + 1 - start < 3:
            j = start - 1
            if not_name(_PUNCT.sub("", norm[j]), raw[j]) or (j < k and _PUNCT.search(raw[j][-1:])):
                break
            start = j
        words = [_PUNCT.sub("", w) for w in norm[start : k + 1]]
        if not raw[k].endswith(_COMMA):
            # No comma: the construct title holds the name in place, so two or three words
            # that start as names do are enough (إيقاف محمد إبراهيم مهاجم الزمالك: the
            # first word, إيقاف "suspending", is too common to start one).
            while len(words) > 2 and not starts_like_name(words[0], zipf):
                start, words = start + 1, words[1:]
            quoted = raw[start][:1] in "\"«“'"  # a product or a phrase, not a person
            if len(words) >= 2 and not quoted and starts_like_name(words[0], zipf):
                yield name_text(raw[start : k + 1])
            continue
        if _is_name(words, raw[start], zipf):
            yield name_text(raw[start : k + 1])


def _comma_or_title(raw_word: str, next_word: str) -> bool:
    return raw_word.endswith(_COMMA) or next_word in _CONSTRUCT_TITLES


def name_starts(
    tokens: list[str],
    adjectives: frozenset[str],
    stop: frozenset[str],
    known: frozenset[str],
    zipf: Callable[[str], float],
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The document's words that may start a name after a country's adjective, before an
    apposition title, and after a listed first name: read once per document, so that a
    line is split only when it holds one of them (tagging speed). The background counts
    hold no function words and no words with the article (their Zipf reads 0), so those are
    ruled out first, and so is a linked name (الروسي فلاديمير بوتين): a candidate sharing a
    word with one is dropped anyway."""
    # compress() finds the triggers in C (four zips over the whole text cost 40 us a
    # document, a comprehension half that).
    after: set[str] = set()
    before: set[str] = set()
    family: set[str] = set()
    nisbas: set[str] = set()
    last, where = len(tokens) - 1, range(len(tokens))
    if adjectives:
        for i in compress(where, map(adjectives.__contains__, tokens)):
            if i < last:
                after.add(tokens[i + 1])
    for i in compress(where, map(_TRIGGERS.__contains__, tokens)):
        w = tokens[i]
        if w in APPOSITION_TITLES:  # two or three words before: the name's start
            if i >= 2:
                before.add(tokens[i - 2])
            if i >= 3:
                before.add(tokens[i - 3])
        if w in FIRST_NAME_CUES and i < last:
            family.add(tokens[i + 1])
            # محمد السوداني: an Arab first name and a family nisba, the article's one name
            if _arab_first(w) and family_nisba(tokens[i + 1], "", known, zipf):
                nisbas.add(tokens[i + 1])
    return (
        frozenset(
            w for w in after - known if _may_start(w, stop) and starts_like_name(w, zipf, RARE_ZIPF)
        ),
        frozenset(w for w in before if _may_start(w, stop) and starts_like_name(w, zipf)),
        frozenset(w for w in family - known if _may_start(w, stop)) | nisbas,
    )


def _arab_first(word: str) -> bool:
    """An Arab first name of ARAB_FIRST_NAMES, or one after "and" (ومحمد)."""
    return word in ARAB_FIRST_NAMES or (word[:1] == "و" and word[1:] in ARAB_FIRST_NAMES)


def _may_start(word: str, stop: frozenset[str]) -> bool:
    return word in FIRST_NAMES or not (word in stop or word.startswith(("ال", "وال", "لل", "بال")))


def first_name_names(
    norm: list[str],
    raw: list[str],
    not_name: NotName,
    zipf: Callable[[str], float],
    known: frozenset[str] = frozenset(),
) -> Iterable[str]:
    """Names that start with a listed transliterated first name (فلاديمير بايباكوف), with
    or without a title before them: the first name is no Arabic word, so what follows it
    is its family name (two or three words). After "and" (وكاترينا تيخونوفا) the name is
    read without the و."""
    for k in [k for k, w in enumerate(norm) if _PUNCT.sub("", w) in FIRST_NAME_CUES]:
        if _PUNCT.search(raw[k][-1:]):
            continue
        if norm[k] not in _CUE_FIRST_NAMES:  # و + a first name
            norm = without_and(norm, k)
            raw = without_and(raw, k)
        arab = norm[k] in ARAB_FIRST_NAMES
        if arab and k and _PUNCT.sub("", norm[k - 1]) in _NAME_OR_TITLE:
            continue  # inside a name (محمد إبراهيم), or after a title, whose rule reads it
        end = _run(norm, raw, k, not_name, zipf)
        if arab and end - k == 1 and end < len(norm):
            nisba = _PUNCT.sub("", norm[end])
            if family_nisba(nisba, raw[end - 1], known, zipf):
                end += 1  # محمد السوداني: a first name and a family nisba
        while arab and end - k > 2 and _PUNCT.sub("", norm[end - 1]) in APPOSITION_TITLES:
            end -= 1  # محمد إبراهيم مهاجم الزمالك: the title is the construct's, not the name's
        if end - k >= 2 and not (arab and norm[end - 1] in _NO_NAME_END):
            yield name_text(raw[k:end])
