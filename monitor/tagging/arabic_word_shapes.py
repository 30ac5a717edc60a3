"""Arabic word shapes that tell a name's word from an everyday word (issue 17).

Arabic writes no capitals, so the words after a title cue are judged by their shape and
by how common they are in the background word frequencies (monitor/background.py): an
everyday noun under a pronoun (تألقه) or a preposition (بمرض), an indefinite noun
(هدفاً، وفدا), a family nisba with a rare stem (الكاظمي). Common first names are listed:
they are as frequent as everyday words (محمود), and the stop list holds some (ديفيد).
Words are in normalised form (monitor.text.normalize).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

CLOSE = re.compile(r"[،,.:;؛!?؟\"»)\]”]$")  # punctuation that closes a word
# Punctuation a name's word may carry, stripped before it is compared (mentions,
# organisations, appositions).
PUNCT = re.compile(r"[،,.:;؛!?؟\"«»()\[\]“”]")


def word_list(text: str) -> list[str]:
    """A word list written as text: the lists of the mention finders (here, the
    appositions, the organisations, the English mentions) are long and read as prose."""
    return text.split()


NAME_PARTS = frozenset(
    word_list(
        """يوسف ابراهيم محمد احمد عبد اكبر صالح حسن حسين كريم جميل سعيد عادل نور فيصل
        خالد سلمان امين رضا جواد مهدي باقر كمال جمال منصور ناصر فواد بشار عمر زاده
        محمود مصطفي عبدالله تركي سعد فهد سلطان راشد حمد حمدان طلال نايف بدر ماجد اشرف
        سالم جاسم عيسي موسي يحيي زكريا داود سليمان اسماعيل حسام هاني وليد هشام طارق
        سامي نبيل مريم فاطمه زينب عايشه ليلي هدي جون ديفيد مايكل جيمس روبرت ماري
        وليام توماس ريتشارد جورج بيتر بول مارك كيم رياض عزيز رحمن وحيد هادي حبيب عمرو
        عباس سعود خليفه جابر"""
    )
)


TANWEEN = re.compile("[\u064b-\u064d]")  # ً ٌ ٍ: an indefinite noun, never a name


_PREPOSITIONS = "بلك"  # with, for, like: joined to the noun they govern
COMMON_ZIPF = 4.5  # a word at least this common (30 per million words) is an everyday word


@lru_cache(maxsize=2)
def zipf(cache: Path | None = None) -> Callable[[str], float]:
    """Background word frequencies (monitor/background.py), read once per process;
    `cache`: the compiled vocabularies' folder, where the table is kept ready-made."""
    from monitor.background import Background

    return Background.shipped(1.0, cache).zipf


EVERYDAY_ZIPF = 5.0  # a word this common (100 per million) that no name list holds
COMMON_STEM_ZIPF = 3.5  # a noun under a pronoun suffix: common enough to be a word
STEM_MARGIN = 0.8  # and commoner than the suffixed whole by this much


def pronoun_on_common_word(word: str, zipf: Callable[[str], float]) -> bool:
    """تألقه (تألق + ه, "his brilliance"), قوله, فوزها: a noun with a possessive pronoun
    follows a name and is none of it. The stem is an everyday word, much commoner than the
    suffixed whole; a transliterated name that ends in ه stays (أندريه: أندري is rarer than
    أندريه), and the listed name parts (زاده) are never cut."""
    if word in NAME_PARTS or len(word) < 4:
        return False
    whole = zipf(word)
    for suffix in ("هما", "هم", "ها", "ه"):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        # كلمته is كلمة + ه: the feminine ending shows as ت before the pronoun.
        stems = (stem, stem[:-1] + "ه") if stem.endswith("ت") else (stem,)
        if any(zipf(s) >= COMMON_STEM_ZIPF and zipf(s) >= whole + STEM_MARGIN for s in stems):
            return True
    return False


def plural_on_common_word(word: str, zipf: Callable[[str], float]) -> bool:
    """مسؤولون، محليون (مسؤول، محلي + ون): a sound masculine plural of an everyday noun or
    adjective, "local officials", is no name. Names that end in ون stay: their stem is
    no everyday word (ماكرون: ماكر is rarer than the bar; جونسون: جونس too)."""
    if not word.endswith("ون") or len(word) < 5 or word in NAME_PARTS:
        return False
    stem = zipf(word[:-2])
    return stem >= COMMON_ZIPF and stem >= zipf(word) + 0.5  # not زيدون، شمعون


# Dual and oblique plural endings, with the stem each leaves: مسؤولان (مسؤول), مصممتان
# (مصممة, normalised مصممه), صهيونيين (صهيوني).
_DUAL_ENDINGS = (("تان", "ه"), ("تين", "ه"), ("ان", ""), ("ين", ""))


def dual_on_common_word(word: str, raw_word: str, zipf: Callable[[str], float]) -> bool:
    """مسؤولان صهيونيان ("two Zionist officials"), مصممتان: a dual (or oblique plural) of an
    everyday participle or nisba adjective is no name. The whole is rare and its stem
    common by a wide margin; names that end so stay: their stem is no word (تشان، فومين،
    غاغارين) or not of those shapes (رومين: روم), or the whole is itself common (عمران،
    حسين، ياسين), or it is spelt with a hamza on its first alif, as transliterations are
    (أريين روبن)."""
    if word in NAME_PARTS or raw_word.lstrip('"«“(')[:1] in "أإآ":
        return False
    for ending, stem_end in _DUAL_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)] + stem_end
            # Only the shapes such words take, a participle (مسؤول، مصممة) or a nisba
            # adjective (صهيوني): a transliterated -in or -an (رومين، عمران) is neither.
            if stem in NAME_PARTS or not (stem.startswith("م") or stem.endswith("ي")):
                return False
            whole, base = zipf(word), zipf(stem)
            return whole < DUAL_RARE_ZIPF and base >= DUAL_STEM_ZIPF and base >= whole + 1.0
    return False


DUAL_RARE_ZIPF = 3.0  # a dual as rare as this (one per million words) or rarer
DUAL_STEM_ZIPF = 4.0  # of a stem this common (ten per million)


def bare_tanween(word: str, zipf: Callable[[str], float]) -> bool:
    """وفدا، صاروخا: the accusative tanween written as a bare alif, without its mark. The
    word without the alif is an everyday noun, much commoner than the whole; names that end
    in alif stay (لينا: لين is not commoner by enough; ماريا: ماري is a name)."""
    if not word.endswith("ا") or len(word) < 4 or word[:-1] in NAME_PARTS:
        return False
    stem = zipf(word[:-1])
    return stem >= COMMON_ZIPF and stem >= zipf(word) + STEM_MARGIN


def everyday_arabic_word(word: str, zipf: Callable[[str], float]) -> bool:
    """مشروع، اتفاق، تحالف: an Arabic word as common as the commonest nouns is no name
    word unless a name list holds it (محمود is as common). Latin words in an Arabic line
    ("Kanye West") are names the background's English counts would wrongly cut."""
    return (
        word not in NAME_PARTS and "\u0621" <= word[:1] <= "\u064a" and zipf(word) >= EVERYDAY_ZIPF
    )


def preposition_on_common_word(word: str, zipf: Callable[[str], float]) -> bool:
    """بمرض (ب + مرض, "with an illness"): the rest is an everyday word, and commoner than
    the whole by half a Zipf point. Names stay (بوتين: وتين is rare; بريان: ريان is not
    common enough), and the listed name parts (كمال) are never cut."""
    if word[:1] not in _PREPOSITIONS or len(word) < 4 or word in NAME_PARTS:
        return False
    rest = zipf(word[1:])
    return rest >= COMMON_ZIPF and rest >= zipf(word) + 0.5


FAMILY_NISBA_ZIPF = 4.0  # a nisba's stem rarer than this is a family, not an adjective


def family_nisba(
    word: str, before: str, known: frozenset[str], zipf: Callable[[str], float]
) -> bool:
    """الدوسري after one name word: an article word ending in ي whose stem is rare (a
    family or tribe) and that names no linked country (الروسي, الإيراني are adjectives of
    the title, and common: their stems are everyday words)."""
    return (
        not CLOSE.search(before)
        and word.startswith("ال")
        and word.endswith("ي")
        and len(word) >= 6
        and word not in known
        and zipf(word[2:]) < FAMILY_NISBA_ZIPF
    )


def hamza_al(raw_word: str) -> bool:
    """أليبوف، إلينا: a word spelt with hamza on its first alif; the article never is, so
    the word is a transliterated name, not a definite noun (normalised, both read ال)."""
    return raw_word.lstrip('"«“(').startswith(("أل", "إل"))


def pronoun_on_function_word(word: str, stop: frozenset[str]) -> bool:
    """خلاله، عليها، بعدهم: a function word with a pronoun is no name word."""
    for suffix in ("ها", "هم", "ه"):
        if word.endswith(suffix) and word[: -len(suffix)] in stop:
            return True
    return False


def coordinated_name(word: str, zipf: Callable[[str], float]) -> bool:
    """وكاترينا، وجوزف after a name of two words: "and" before a second name, not a word
    of the first. The word with و is no commoner than the word without it (وليد، وهبي,
    names of their own, are much commoner than ليد، هبي and stay)."""
    return (
        word.startswith("و")
        and len(word) >= 4
        and word not in NAME_PARTS
        and zipf(word) <= zipf(word[1:])
    )


def name_text(raw: list[str]) -> str:
    """A name as written, its words' punctuation off ("بوريسينكو،" -> بوريسينكو)."""
    return " ".join(PUNCT.sub("", w) for w in raw)


def without_and(words: list[str], k: int) -> list[str]:
    """The words with the و of word k taken off (وكاترينا -> كاترينا): a second name joined
    by "and" is read as names are, from its first letter."""
    return [*words[:k], words[k][1:], *words[k + 1 :]]


# Korean and Chinese names are written syllable by syllable (لي يون هو، شي جين بينغ), and
# a few syllables are Arabic function or everyday words: لي ("to me"), هو ("he"), بين
# ("between"), شي ("thing"), إل and إي. Such a syllable is a name's word only beside a
# syllable that is no Arabic word and is common in those names (normalised forms).
SYLLABLE_HOMOGRAPHS = frozenset(word_list("لي هو بين شي ال اي"))
EAST_ASIAN_SYLLABLES = frozenset(
    word_list(
        """جين جينغ جونغ جونج جون يون يونغ يونج يونغ تشونغ تشونج تشانغ تشانج تشو تشول
        تشان تشي سانغ سانج سونغ سونج كيم مون بارك هوانغ هوانج وانغ وانج مين هي سوك يول
        كوان هيون هيونغ هيونج جاي تاي شين نام دونغ دونج كيونغ كيونج سوب سيوك هان غيون
        بينغ بينج تشيانغ شيانغ شياو يانغ يانج ليانغ شيه تشانغ جيانغ هونغ هونج نا يو"""
    )
)


def syllable_of_a_name(norm: list[str], k: int, start: int) -> bool:
    """Whether the homograph at k (لي، هو، بين) is a syllable of a Korean or Chinese name:
    the word before it in the name, or the word after it, is such a syllable."""
    if norm[k] not in SYLLABLE_HOMOGRAPHS:
        return False
    return (k > start and norm[k - 1] in EAST_ASIAN_SYLLABLES) or (
        k + 1 < len(norm) and norm[k + 1] in EAST_ASIAN_SYLLABLES
    )


def syllables_end(norm: list[str], start: int, end: int) -> int:
    """A name that holds a homograph (لي، هو) is read so only when every word of it is such
    a syllable (لي يون هو, شي جين بين); otherwise it ends before the first homograph, which
    is then the Arabic word ("تشانغ هو جينوقال": the last word is two run together)."""
    words = norm[start:end]
    if all(w not in SYLLABLE_HOMOGRAPHS for w in words):
        return end
    if all(w in SYLLABLE_HOMOGRAPHS or w in EAST_ASIAN_SYLLABLES for w in words):
        return end
    return start + next(i for i, w in enumerate(words) if w in SYLLABLE_HOMOGRAPHS)
