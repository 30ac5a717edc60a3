"""Names the gazetteer does not list, kept as unlinked mentions with their surface form.

The gazetteer links the beat's regular actors; real news also quotes people nobody
listed (a deputy minister, an analyst, an ambassador to a small country). A missed name
costs the analyst the story, so those are found by the words news writing puts around a
name, not by a model: no PyPI wheel ships an Arabic NER model that runs offline, and the
cues are few and regular.

English: a run of capitalised words after a title ("Ambassador Vassily Nebenzia",
"Deputy Foreign Minister Sergei Ryabkov", "spokesperson, Stephane Dujarric"), after a
reporting verb ("said Jack Watling"), before one ("Jack Watling said"), or before an
apposition that names a role ("Jack Watling, a senior fellow at RUSI").
Arabic: the words after a title cue (السفير، وزير، المتحدث باسم، الرئيس، رئيس الوزراء)
once the title's own complements are skipped (الخارجية الروسي، باسم الوزارة، لدى الأمم
المتحدة): a name is the next one to three words that carry no article and are not
function words.

A candidate that shares a word with a linked entity's surface is dropped: it is that
entity (or a title around it), already listed. A linked person right after an Arabic
title fills the title's name slot (الرئيس بوتين على شاشة ...): nothing after it is read
as a name. Arabic name words never carry tanween (هدفاً، قراراً: indefinite common
nouns), and a name's word is not a preposition on an everyday word (بمرض is ب + مرض,
"with an illness"; بوتين stays a name: وتين is rare): the background word frequencies
(monitor/background.py) tell them apart. A name also stops at a news verb (استقبل), an
everyday word (اتفاق), a noun under a pronoun (تألقه) or a bare-alif tanween (وفدا); a
head (عبد، أبو، بن) takes its complement and ends no name; one name word and a family
nisba (مصطفى الكاظمي) make a name. Those word shapes live in arabic_word_shapes.py.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import compress
from pathlib import Path

from monitor.models import EntityTag
from monitor.tagging.arabic_appositions import (
    APPOSITION_TITLES,
    FIRST_NAME_CUES,
    FIRST_NAMES,
    apposition_names,
    first_name_names,
    name_starts,
    nationality_names,
    starts_like_name,
)
from monitor.tagging.arabic_word_shapes import NAME_PARTS as _AR_NAME_PARTS
from monitor.tagging.arabic_word_shapes import PUNCT as _AR_END
from monitor.tagging.arabic_word_shapes import TANWEEN as _TANWEEN
from monitor.tagging.arabic_word_shapes import bare_tanween as _bare_tanween
from monitor.tagging.arabic_word_shapes import (
    coordinated_name,
    hamza_al,
    name_text,
    pronoun_on_function_word,
    syllable_of_a_name,
    syllables_end,
    without_and,
    word_list,
)
from monitor.tagging.arabic_word_shapes import dual_on_common_word as _dual_on_common_word
from monitor.tagging.arabic_word_shapes import everyday_arabic_word as _everyday_arabic_word
from monitor.tagging.arabic_word_shapes import family_nisba as _family_nisba
from monitor.tagging.arabic_word_shapes import plural_on_common_word as _plural_on_common_word
from monitor.tagging.arabic_word_shapes import (
    preposition_on_common_word as _preposition_on_common_word,
)
from monitor.tagging.arabic_word_shapes import pronoun_on_common_word as _pronoun_on_common_word
from monitor.tagging.arabic_word_shapes import word_list as _words
from monitor.tagging.arabic_word_shapes import zipf as _zipf
from monitor.tagging.english_mentions import english_names
from monitor.tagging.terms import Document
from monitor.text.normalize import normalize

# ------------------------------------------------------------------ Arabic
# All in normalised form (monitor.text.normalize: أ إ آ -> ا, ة -> ه, ى -> ي, ئ -> ي).

_AR_TITLES = frozenset(
    _words(
        """سفير سفيره مندوب مندوبه مبعوث مبعوثه وزير وزيره نايب متحدث متحدثه ناطق ناطقه
    رييس رييسه امين مستشار مستشاره جنرال لواء عميد ادميرال سيناتور مدير مديره خبير
    خبيره باحث باحثه محلل محلله دكتور ملك امير شيخ قايد منسق مفوض سيد سيده مساعد
    الماريشال مارشال عقيد نجم نجمه لاعب لاعبه مدرب فنان فنانه مغني مغنيه مخرج اخراج
    رايد زميل زميله زميلها زميلته محافظ تنفيذي مذيع كاتب صحفي مراسل قاضي وكيل قس
    ممثل ممثله قيادي نايبه زعيم زعيمه عاهل حاكم دكتوره بروفيسور بروفسور نظير نظيره
    نظيرته نظيرها نظيرتها نظيريه نظيريها نظيراه قنصل قنصله امناء"""
    )
)
_AR_VERBS = frozenset(
    _words("قال قالت اضاف اضافت اكد اكدت صرح صرحت اعلن اعلنت اوضح اوضحت حذر حذرت")
)
# Words that complete a title before the name: portfolios and institutions in the
# construct state (وزير خارجية روسيا، المتحدث باسم وزارة الخارجية).
_AR_TITLE_NOUNS = frozenset(
    _words(
        """خارجيه دفاع داخليه ماليه اقتصاد خزانه تجاره طاقه عدل وزراء حكومه شوون مجلس وزاره
    اركان جمهوريه دوله هييه وكاله منظمه لجنه بعثه قوات جيش مكتب ادارة اداره شركه حزب
    برلمان امن مخابرات استخبارات سياسه عام عامه اعلى دايم دايمه رسمي رسميه خاص خاصه
    سابق سابقه اول اعلام صحافه ديوان قياده قسم منطقه محافظه مقاطعه اقليم ولايه
    خارجيته خارجيتها حكومته حكومتها بلاده بلادها"""
    )
)
_AR_TITLE_WORDS = _AR_TITLES | _AR_TITLE_NOUNS
# First names that start as if with the article (Alexander, Alexei): names, not modifiers.
_AR_AL_NAMES = frozenset(
    _words("الكسندر اليكسندر الكساندر اليكساندر الكسي اليكسي اليكسيه الينا البرت الان اليس الفريد")
)
# Past-tense verbs of news writing, which follow a name (الرئيس X استقبل ...) and are
# none of it; the reporting verbs (_AR_VERBS) are cues of their own.
_AR_NEWS_VERBS = frozenset(
    _words(
        """اشار اشارت شدد شددت دعا دعت زار زارت استقبل استقبلت ناقش ناقشت لفت لفتت
    اعتبر اعتبرت بحث بحثت طالب طالبت وصل وصلت غادر غادرت اجتمع اجتمعت
    توجه توجهت اعرب اعربت تراس تراست نفي نفت كشف كشفت افاد افادت ذكر ذكرت تابع تابعت وقع وقعت
    التقي التقت يزور تزور يلتقي تلتقي سجل سجلت فاز فازت قاد قادت انضم انضمت"""
    )
)


_AR_NAME_HEADS = frozenset(_words("عبد ابو بن ابن"))  # the next word keeps its article
_AR_LINKERS = frozenset(_words("باسم لدي في ل عن الي"))  # each takes one word after it
_AR_PROCLITICS = ("وال", "فال", "بال", "كال", "ال", "لل", "و", "ف", "ب", "ل", "ك")
_AR_PROCLITICS_BY_LETTER = {
    letter: tuple(p for p in _AR_PROCLITICS if p[0] == letter) for letter in "وفبكال"
}
# Punctuation that closes a word ("وود،", "هوانج."): a name stops there. An opening quote
# ("\"كيم") does not stop it. A word's last character is looked up (the words are split at
# white space: a regular expression's "$" could match only there, at four times the cost).
_AR_CLOSING = frozenset('،,.:;؛!?؟"»)]”')
_AR_PARTICLES = frozenset(_words("فون فان دي دير دا دو ديل"))  # von, van, de, der, da, du
_AR_DEFINITE = ("ال", "لل", "بال", "وال", "فال", "كال")  # the article, with a proclitic
_AR_INNER_PUNCT = re.compile(r"[،,.:;؛!?؟]")  # inside a word: two words run together


@lru_cache(maxsize=1)
def arabic_stopwords() -> frozenset[str]:
    """Function and common words, which a name never contains (jusText's Arabic list,
    already installed with trafilatura: 2,770 words, normalised).

    Read from the package's folder as justext.get_stoplist reads it, without importing
    jusText: its import brings lxml (0.05 s of CPU), which tagging a text never needs."""
    spec = importlib.util.find_spec("justext")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jusText (installed with trafilatura) is missing")
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = (folder / "stoplists" / "Arabic.txt").read_bytes()
    words = {normalize(w.decode("utf8").lower()) for w in data.splitlines()}
    # jusText lists common name parts as frequent words (أكبر is also "bigger"): a name
    # may hold them. علي stays a stop word: على (on) folds to it. Days and times are added.
    days = "امس اليوم غدا الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت صباح مساء"
    return frozenset((words - _AR_NAME_PARTS) | set(days.split()))


def _with_proclitics(words: frozenset[str]) -> frozenset[str]:
    """The words with any proclitics (والسفير, للوزير): one set lookup per word."""
    return frozenset(p + w for w in words for p in ("", *_AR_PROCLITICS)) | words


def _ar_base(word: str) -> str:
    """A word without its proclitics (والسفير -> سفير), for matching cues."""
    # Only the proclitics its first letter can start, in _AR_PROCLITICS' order: a
    # startswith per proclitic cost more than the rest of a cue's reading.
    for p in _AR_PROCLITICS_BY_LETTER.get(word[:1], ()):
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p) :]
    return word


def _not_name_word(w: str, raw_word: str, stop: frozenset[str], zipf: Callable) -> bool:
    """Whether a word (normalised, and as written) can be no part of a person's name: an
    article word, a function word, a title, a verb of news writing, an indefinite or an
    everyday noun (arabic_word_shapes.py)."""
    return (
        (w.startswith(_AR_DEFINITE) and w not in _AR_AL_NAMES and not hamza_al(raw_word))
        or (w in stop and not (w == "علي" and "علي" in raw_word))  # Ali, not على (on)
        or w in _AR_TITLES_FORMS
        or w in _AR_TITLE_NOUNS_FORMS
        or w in _AR_VERBS_FORMS
        or not w.replace("-", "").isalpha()  # جون-كوك هوانج
        or (  # "بيسكوف،في": two words run together by a comma
            not raw_word[:-1].isalpha()
            and _AR_INNER_PUNCT.search(raw_word.strip('"«»“”()')[:-1]) is not None
        )
        or pronoun_on_function_word(w, stop)
        or len(w) < 2
        or _TANWEEN.search(raw_word) is not None
        or _bare_tanween(w, zipf)
        or _preposition_on_common_word(w, zipf)
        or _pronoun_on_common_word(w, zipf)
        or _plural_on_common_word(w, zipf)
        or _dual_on_common_word(w, raw_word, zipf)
        or w in _AR_NEWS_VERBS_FORMS
        or _everyday_arabic_word(w, zipf)
    )


_AR_VERBS_FORMS = _with_proclitics(_AR_VERBS)
_AR_TITLES_FORMS = _with_proclitics(_AR_TITLES)
_AR_TITLE_WORDS_FORMS = _with_proclitics(_AR_TITLE_WORDS)
_AR_TITLE_NOUNS_FORMS = _with_proclitics(_AR_TITLE_NOUNS)
_AR_NAME_HEADS_FORMS = _with_proclitics(_AR_NAME_HEADS)
_AR_CUE_FORMS = _AR_TITLES_FORMS | _AR_VERBS_FORMS
_AR_NEWS_VERBS_FORMS = _with_proclitics(_AR_NEWS_VERBS)


def _arabic(
    norm: list[str],
    raw: list[str],
    stop: frozenset[str],
    known: frozenset[str],
    people: frozenset[str] = frozenset(),
    cache: Path | None = None,
) -> Iterable[str]:
    cues = _AR_CUE_FORMS
    end = 0
    # Only the few words that are cues start the work: found at C speed.
    for i in compress(range(len(norm)), map(cues.__contains__, norm)):
        if i < end:  # inside the title or name just read (نائب وزير ...)
            continue
        names, read = _after_cue(norm, raw, stop, known, i, people, cache)
        end = i + read
        yield from names


def _after_cue(
    norm: list[str],
    raw: list[str],
    stop: frozenset[str],
    known: frozenset[str],
    i: int,
    people: frozenset[str] = frozenset(),
    cache: Path | None = None,
) -> tuple[list[str], int]:
    """The names a cue at i introduces (one, or two joined by و), and how many words were
    read from i."""
    n = len(norm)
    # Punctuation comes off only the few words read here, not every word of the line.
    norm = [w if w.isalpha() else _AR_END.sub("", w) for w in norm[i : i + 16]]
    raw, n, i = raw[i : i + 16], min(n - i, 16), 0
    verb = norm[i] in _AR_VERBS_FORMS
    if raw[i][-1:] in _AR_CLOSING:
        return [], i + 1
    k = i + 1
    if not verb:
        # Skip the title's complements: article words, portfolios, linkers and the
        # one word a linker takes, chained titles (نائب وزير).
        while k < n and k - i <= 8:
            w = norm[k]
            if people and (w in people or _ar_base(w) in people):  # الرئيس بوتين: filled
                return [], k + 1
            if not w and raw[k] in ("،", ",") and k > i + 1:
                k += 1  # "كراسنودار الروسية ، فينيامين": a comma written apart
                break
            if w in _AR_LINKERS and k + 1 < n:
                k += 2
            elif w in _AR_AL_NAMES or hamza_al(raw[k]):
                break
            elif (
                w.startswith(("ال", "لل", "وال"))
                or w in _AR_TITLE_WORDS_FORMS
                or (w in known and w not in _SHARED_NAME_PARTS)  # سفير كوريا الجنوبية
            ):
                k += 1
            else:
                break
            if raw[k - 1][-1:] in _AR_CLOSING:
                # "رئيس المنظمة، علي أكبر صالحي،": a comma brings the name in apposition.
                if not raw[k - 1].endswith(("،", ",")):
                    k = n
                break
    start = k
    zipf = _zipf(cache)
    k = _name_end(norm, raw, start, stop, known, zipf)
    # After a comma the title may be over and the sentence going on ("الممثل الأعلى للاتحاد
    # الأوروبي، قبيل انعقاد"): the name must start as names do (arabic_appositions.py).
    comma = start > i + 1 and raw[start - 1].endswith(("،", ","))
    if k - start >= 2 and not (
        comma
        and not starts_like_name(norm[start], zipf)
        and not syllable_of_a_name(norm, start, start)
    ):
        names = [name_text(raw[start:k])]
        # "... مارك فاند هي وجوزف أكابا": a second name joined by و takes the same title.
        if k < n and raw[k - 1][-1:] not in _AR_CLOSING and coordinated_name(norm[k], zipf):
            norm = without_and(norm, k)
            raw = without_and(raw, k)
            end = _name_end(norm, raw, k, stop, known, zipf)
            if end - k >= 2 and starts_like_name(norm[k], zipf):
                names.append(name_text(raw[k:end]))
                k = end
        return names, k
    return [], i + 1


def _name_end(
    norm: list[str],
    raw: list[str],
    start: int,
    stop: frozenset[str],
    known: frozenset[str],
    zipf: Callable[[str], float],
) -> int:
    """The end of the name words from `start` (`start` when there are none): up to three
    name words, a head's complement (عبد القادر) and particles (فون دير) not counted."""
    n, k = len(norm), start
    units = 0  # name words, a compound (عبد القادر) counting as one
    while k < n and units < 3:
        w = norm[k]
        compound = k > start and norm[k - 1] in _AR_NAME_HEADS_FORMS  # عبد القادر
        if compound and w.isalpha() and not _TANWEEN.search(raw[k]):
            # The head's complement is part of it, however common (القادر، الله).
            k += 1
            if raw[k - 1][-1:] in _AR_CLOSING:
                break
            continue
        if k > start and w in _AR_NAME_HEADS and raw[k - 1][-1:] not in _AR_CLOSING:
            k += 1  # سلمان بن عبد العزيز: بن (a stop word) inside a name, before its complement
            continue
        j = k  # أورسولا فون دير لاين: particles inside a name, before its next word
        while k > start and j < n - 1 and norm[j] in _AR_PARTICLES:
            j += 1
        if j > k and not _not_name_word(norm[j], raw[j], stop, zipf):
            k = j
            continue
        if units >= 2 and coordinated_name(w, zipf):
            break
        if _not_name_word(w, raw[k], stop, zipf) and not syllable_of_a_name(norm, k, start):
            break
        k += 1
        units += 1
        if raw[k - 1][-1:] in _AR_CLOSING:
            break
    # A head ends no name (نينوى عبد): it waits for the word that completes it.
    while k > start and norm[k - 1] in _AR_NAME_HEADS_FORMS:
        k -= 1
    if k - start == 1 and k < n and _family_nisba(norm[k], raw[k - 1], known, zipf):
        k += 1  # سالم الدوسري، نوري المالكي: a first name and a family nisba
    return syllables_end(norm, start, k)


# ------------------------------------------------------------------ both


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def find_mentions(
    doc: Document, linked: Iterable[EntityTag], cache: Path | None = None
) -> tuple[EntityTag, ...]:
    """Unlinked person mentions, most mentioned first, each with its surface forms;
    `cache`: the compiled vocabularies' folder (background.py keeps its table there)."""
    linked = tuple(linked)
    # A linked mention is the document's own tokens, normalised already (entities.py);
    # only a cased alias ("US") is as written.
    folded = {m: m if m == m.lower() else normalize(m) for e in linked for m in e.mentions}
    known = {w for m in folded.values() for w in m.split()}
    frozen = frozenset(known)
    # A linked person's words fill a title's name slot (الرئيس بوتين); a common name part
    # of theirs does not (الرئيس محمد عرفان علي beside a linked محمد بن سلمان: _is_linked).
    people = frozenset(
        w
        for e in linked
        if e.kind == "person"
        for m in e.mentions
        for w in folded[m].split()
        if w not in _SHARED_NAME_PARTS
    )
    # A linked person's name of two words or more (a one-word كيم is a common name part).
    persons = {
        folded[m] for e in linked if e.kind == "person" for m in e.mentions if " " in folded[m]
    }
    # A linked country's adjective (الروسي، والأمريكي، الروسيان) may precede a name.
    adjectives = frozenset(
        w
        for e in linked
        if e.kind == "country"
        for m in e.mentions
        for w in folded[m].split()
        if w.startswith(("ال", "وال")) and w.endswith(("ي", "يه", "يان", "يين"))
    )
    stop = arabic_stopwords()
    found: dict[str, list[str]] = {}
    tokens, starts = doc.tokens, [*doc.line_start, len(doc.tokens)]
    begins: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
    for j, (line, norm_line) in enumerate(zip(doc.lines, doc.norm_lines, strict=True)):
        if _ARABIC_LETTER.search(line):
            # Only a cue starts a name (_arabic), and a cue is a whole word of letters,
            # so it is one of the line's tokens: a line without one is not split.
            words = tokens[starts[j] : starts[j + 1]]
            cue = not _AR_CUE_FORMS.isdisjoint(words)
            # Names no title introduces (arabic_appositions.py), looked for only where a
            # word that may start one follows an adjective, a first name or precedes a title.
            if begins is None:  # once per document, at its first Arabic line
                zipf = _zipf(cache)
                not_name = partial(_not_name_word, stop=stop, zipf=zipf)
                begins = name_starts(tokens, adjectives, stop, frozen, zipf)
            adjective = not begins[0].isdisjoint(words) and not adjectives.isdisjoint(words)
            apposition = not begins[1].isdisjoint(words) and not APPOSITION_TITLES.isdisjoint(words)
            first = not begins[2].isdisjoint(words) and not FIRST_NAME_CUES.isdisjoint(words)
            if not (cue or adjective or apposition or first):
                continue
            raw = line.split()
            norm = norm_line.split()
            if len(raw) != len(norm):  # a mark or tatweel alone made a word vanish
                raw = norm
            candidates = list(_arabic(norm, raw, stop, frozen, people, cache)) if cue else []
            # Names no title introduces (arabic_appositions.py).
            if adjective:
                candidates += nationality_names(norm, raw, adjectives, not_name, zipf)
            if apposition:
                candidates += apposition_names(norm, raw, not_name, zipf)
            if first:
                candidates += first_name_names(norm, raw, not_name, zipf, frozen)
        else:
            candidates = english_names(line)
        for surface in candidates:
            key = normalize(surface)
            words = key.split()
            if _is_linked(words, known) or any(f" {m} " in f" {key} " for m in persons):
                continue  # a linked person's whole name in it (محمد بن سلمان لقاءات): theirs
            found.setdefault(key, []).append(surface)
    return unlinked_tags(found, "person")


def _is_linked(words: list[str], known: set[str]) -> bool:
    """Whether a candidate is a linked entity, or a title around one: it shares a word with
    a linked surface. A shared common name part alone does not make it one: "فلاديمير
    بايباكوف" beside a linked "فلاديمير بوتين" is another Vladimir, "محمد عرفان علي" beside
    "محمد بن سلمان" another Muhammad, "جوني كيم" another Kim (FIRST_NAMES, NAME_PARTS and
    the heads بن، عبد: shared by many people), when a word of its own is left."""
    shared = [w in known or _ar_base(w) in known for w in words]
    if not any(shared):
        return False
    common = [w in _SHARED_NAME_PARTS for w in words]
    return any(s and not c for s, c in zip(shared, common, strict=True)) or all(shared)


# Korean names romanised: every syllable is shared by many people, so "Sin Hong Chol"
# beside a linked "Kim Yong Chol", or "Kang Dae Sik" beside "Shin Won-sik", is another
# person. Family names and the commonest given-name syllables.
_KOREAN_NAME_PARTS = frozenset(
    word_list(
        """kim lee ri park pak choe choi cho jo kang han jang chang shin sin yun yoon jong
    chol sik il un song nam ho hui yong su jin min hyun hyon won sung gyu tae kyong
    kyung ju hae hun chun young yeol"""
    )
)
_SHARED_NAME_PARTS = FIRST_NAMES | _AR_NAME_PARTS | _AR_NAME_HEADS | _KOREAN_NAME_PARTS


def unlinked_tags(found: dict[str, list[str]], kind: str) -> tuple[EntityTag, ...]:
    """Unlinked mentions of one kind (people here, organisations in organisations.py), one
    tag per folded name with every surface form it was written in, most mentioned first:
    the order `monitor show` lists them in."""
    tags = [
        EntityTag(
            name=surfaces[0],
            kind=kind,
            mentions=tuple(dict.fromkeys(surfaces)),
            count=len(surfaces),
            linked=False,
        )
        for surfaces in found.values()
    ]
    return tuple(sorted(tags, key=lambda t: (-t.count, t.name)))
