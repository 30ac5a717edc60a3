"""English names nobody listed, found by the words news writing puts around them: a run of
capitalised words after a title ("Ambassador Vassily Nebenzia"), after or before a
reporting verb ("said Jack Watling", "Jack Watling said"), or before an apposition that
names a role ("Jack Watling, a senior fellow at RUSI"). mentions.py's docstring says why
cues and not a model; this is its English half, kept apart because the two languages'
cues share nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.tagging.arabic_word_shapes import word_list as _words

_EN_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w.\-]*|[^\w\s]")
# Titles, lower case; the last word of a multi-word title is enough ("Foreign Minister"
# ends in "minister"), so only single words are listed.
_EN_TITLES = frozenset(
    _words(
        """ambassador minister secretary secretary-general spokesperson spokesman spokeswoman
    president vice-president premier chancellor envoy rapporteur senator sen. rep. gov.
    representative congressman congresswoman general gen. lt. lieutenant admiral adm.
    colonel col. commander director director-general chairman chairwoman chair
    commissioner mr. ms. mrs. dr. professor prof. analyst researcher official deputy
    coordinator king prince emir sheikh governor mayor lawmaker mp judge prosecutor
    attorney counsellor counselor adviser advisor ceo chief head fellow expert
    correspondent editor cosmonaut cosmonauts astronaut astronauts actress actor
    singer dancer star player striker coach guide sir supt supts snr insp inspector
    sergeant sgt captain capt. pc pcs newcomer deputies ministers officials envoys
    councilwoman councilman footballer designer architect winner winners champion
    screenwriter counterpart counterparts engineer maj. brig. cmdr. colleague councillor
    leader mr ms mrs dr sens. mps champs assistant"""
    )
)
# The last word of a place or a building named for a person ("Prince Edward Island",
# "King Abdulaziz International Conference Center", "Matagorda County", "Green Park"):
# a run of capitals that ends in one names no person.
_EN_PLACE_HEADS = frozenset(
    _words(
        """island islands county park center centre plant station airport port bay river
    lake mountain mountains province region oblast district city hall palace stadium bridge
    base gap peninsula strait sea ocean gulf coast valley prize award cosmodrome spaceport"""
    )
)
# The last words of a body's name, never a person's ("the End Fuel Poverty Coalition").
_EN_BODY_HEADS = frozenset(
    _words(
        """ministry agency council commission committee bank fund organization organisation
    authority administration corporation company institute office service bureau
    directorate command coalition alliance network project initiative division forum
    group association federation union party department board"""
    )
)
# Capitalised words that go on an institution's or a building's name after a person's.
_EN_INSTITUTION = frozenset(
    _words(
        """international national university institute foundation centre center memorial
    museum academy hospital school college library airport"""
    )
)
_EN_CUES: frozenset[str]  # set below: titles and verbs as written in lower case
_EN_VERBS = frozenset(_words("said says told added noted warned stressed according"))
# "built by Iktinos", "played by Bryan Cranston", "defeating Kyren Wilson": two capitalised
# words or more after these.
_EN_BY = frozenset(_words("by defeating beat beating"))
_EN_ROLE_WORDS = _EN_TITLES | frozenset(
    _words("spokesperson spokesman official officials professor analyst")
)
# Capitalised words that start sentences or name institutions, never a person's name.
_EN_NOT_NAME = frozenset(
    _words(
        """the a an in on at of for and but or if as by to from with this that these those
    it its he she they we his her their our there here when while after before during
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mr ms mrs dr
    ministry council committee commission department office agency nations united union
    house government administration army navy forces force party news times post press
    reuters ap afp tass kcna yonhap bank group service services institute university
    centre center foundation organization organisation programme program fund assembly
    parliament court state states republic kingdom federation security defence defense
    foreign affairs general secretary minister president prime deputy special high
    ambassador embassy mission delegation spokesperson spokesman north south east west
    korea korean russia russian ukraine ukrainian china chinese america american
    european europe asia asian pacific atlantic world international national
    according however meanwhile also still both some many several other all
    washington moscow kyiv pyongyang seoul beijing tokyo new york un u.n. us u.s. eu
    nato iaea g7 g20 iran iranian japan japanese britain british france french
    germany german israel israeli summit air airlines bistro cafe restaurant hotel club fc
    league cup authority command bureau directorate corporation company
    one two three four five six seven eight nine ten
    cabinet staff panel board vice magazine journal newspaper inc ltd corp llc plc
    street square avenue"""
    )
)
# Lower-case words a title-case headline keeps small ("Russian Official Says Drone Hit Depot
# in Crimea"): such a line capitalises verbs and nouns alike, so its capitals name nobody.
_EN_SMALL = frozenset(
    _words(
        "a an the and or but of in on at to for by with from as vs via into over after against amid"
    )
)
_EN_CUES = _EN_TITLES | _EN_VERBS | _EN_BY | {"to"}
# Words that start a title's complement ("ambassador to the IAEA", "head of the agency").
_EN_LINKS = frozenset(_words("to at of for in"))
_EN_PARTICLES = frozenset(_words("bin ibn al al- el de da del der van von la le du dos"))
# "the destroyer Admiral Tributs", "frigate Admiral Gorshkov": a ship named for a person.
_EN_SHIPS = frozenset(
    _words(
        """destroyer destroyers frigate frigates corvette corvettes cruiser cruisers ship
    ships vessel vessels carrier submarine submarines warship warships icebreaker"""
    )
)


# Words a hyphenated title is made of besides titles ("Under-Secretary-General").
_EN_TITLE_PARTS = frozenset(_words("under vice deputy acting assistant co"))


def _is_title(low: str) -> bool:
    """A title word, lower case; a hyphenated one counts when every part is a title or a
    title's prefix ("under-secretary-general", not "aunon-chancellor")."""
    if low in _EN_TITLES:
        return True
    parts = low.split("-")
    return len(parts) > 1 and all(p in _EN_TITLES or p in _EN_TITLE_PARTS for p in parts)


def _is_cap(word: str) -> bool:
    low = word.lower()
    return word[:1].isupper() and low.rstrip(".") not in _EN_NOT_NAME and not _is_title(low)


def _en_name(tokens: list[str], i: int, most: int = 4) -> int:
    """The end of a capitalised name run starting at i (i when there is none)."""
    j = i
    while j < len(tokens) and j - i < most:
        w = tokens[j]
        particle = w.lower() in _EN_PARTICLES and j > i and j + 1 < len(tokens)
        if j > i and tokens[j - 1].endswith(("’s", "'s")):  # "Japan’s Self-Defense": no name
            return i
        # Acronyms (NATO, KCNA) are organisations, not people's names.
        if (_is_cap(w) and not w.isupper()) or (particle and _is_cap(tokens[j + 1])):
            j += 1
            if w.endswith(".") and len(w) > 2:  # "Kim." ends a sentence; "J." is an initial
                break
        else:
            break
    while j > i and tokens[j - 1].lower() in _EN_PARTICLES:
        j -= 1
    return j


def _role_after(tokens: list[str], begin: int, start: int) -> bool:
    """Whether the words after a comma name a role ("Jack Watling, a senior fellow at RUSI"),
    the apposition that makes the capitals from `begin` to the comma a person's name. A
    title with a name of its own after it starts a new subject ("... in Phnom Penh,
    Japanese Prime Minister Fumio Kishida"): the capitals were a place, unless a role noun
    stands before them too, as in a list of people ("media entrepreneur Danna Karagussova,
    electrical engineer Clint Kelly")."""
    before = tokens[begin - 1] if begin else ""
    listed = before.isalpha() and before.islower() and before not in _EN_SMALL
    for j in range(start, min(start + 6, len(tokens))):
        if tokens[j].lower() in _EN_ROLE_WORDS:
            return listed or not (j + 1 < len(tokens) and _is_cap(tokens[j + 1]))
    return False


def _after_complement(tokens: list[str], k: int) -> tuple[int, int]:
    """The name set off by commas after a title's complement ("Iran's ambassador to the
    IAEA, Reza Najafi, condemned"; "the head of the agency, Rafael Grossi, said"): two
    capitalised words or more between the comma and a comma, a full stop or a reporting
    verb. (k, k) when there is none."""
    if k >= len(tokens) or tokens[k].lower() not in _EN_LINKS:
        return k, k
    for j in range(k + 1, min(k + 8, len(tokens) - 1)):
        if tokens[j] in {".", ";", ":", "(", ")"} or tokens[j].lower() in _EN_VERBS:
            return k, k
        if tokens[j] == ",":
            end = _en_name(tokens, j + 1)
            nxt = tokens[end].lower() if end < len(tokens) else "."
            if end - (j + 1) >= 2 and (nxt in {",", "."} or nxt in _EN_VERBS):
                return j + 1, end
            return k, k
    return k, k


# First names the beat's news prints most, as English spells them (Russian, Ukrainian,
# Belarusian, Iranian and Arab, Western, Latin American): one of these before one or two
# more capitalised words makes a name with no title or verb around it ("Sergei Skripal
# was poisoned", "Nikki Haley met ...": neither is in the gazetteer). Left out: first
# names that are also places, months or common words (Georgia, Sofia, Jordan, Victoria,
# May, Will, Mark, Frank, Grace).
_EN_FIRST_NAMES = frozenset(
    _words(
        """sergei sergey alexei alexey aleksei aleksey alexander aleksandr vladimir dmitry
    dmitri mikhail nikolai nikolay igor andrei andrey yuri yury ivan pavel oleg valery
    valeri gennady gennadiy yevgeny evgeny yevgeniy maxim maksim anton konstantin boris
    viktor vasily vasiliy denis anatoly vitaly vitaliy vadim artyom grigory stanislav
    leonid ruslan ramzan arkady fyodor pyotr alexandra maria anna elena yelena olga
    natalia natalya irina tatiana tatyana svetlana yulia yuliya valentina larisa ksenia
    daria ekaterina yekaterina lyudmila galina anastasia marina veronika volodymyr
    oleksandr oleksiy oleksii mykola dmytro petro andriy andrii vitalii yevhen serhiy
    serhii mykhailo iryna olena kateryna valentyn taras bohdan kyrylo
    mohammad mohammed muhammad mohamed ahmad ahmed ali hassan hasan hossein hussein
    husein abbas reza mahmoud mahmud abdullah abdulla khalid khaled faisal saud salman
    hamad tamim omar umar yusuf youssef ibrahim ismail majid javad jawad mehdi ebrahim
    esmaeil ismael masoud massoud hamid saeed abdul abdel nasser naser kazem qasem
    ghassan bashar walid fuad fouad sami samir hani tariq tarek zayed rashid
    james john michael david robert richard william thomas christopher paul stephen
    steven george peter anthony antony donald joseph matthew daniel patrick kevin brian
    eric charles scott jeffrey jeff lloyd linda mary jennifer elizabeth sarah karen
    nancy barbara catherine katherine kathleen hillary michelle susan rebecca emily
    jessica laura amanda melissa deborah rachel heather nicole angela andrea kristin
    kristi kamala nikki jake jason justin brandon ryan jonathan benjamin samuel
    andrew joshua nicholas edward henry jack harry tom tim timothy jim jimmy bill bob
    mike chris dan dave steve rick nick joe josh ted ron rob greg gregory jeremy gary
    larry dennis douglas kenneth ronald raymond keith roger alan allan marco
    carlos jose luis antonio pedro juan francisco manuel ricardo fernando javier
    alejandro miguel jorge gustavo nicolas emmanuel francois jacques pierre jean
    hans olaf klaus wolfgang ursula annalena friedrich giorgia giuseppe matteo
    recep mevlut hakan narendra subrahmanyam shehbaz imran fumio shigeru yoshimasa
    yoko josep kaja mette jens"""
    )
)


# Public services a town's name goes before ("Elizabeth City Fire").
_EN_SERVICES = frozenset(_words("fire police rescue ambulance sheriff schools"))


# Korean family names: the one word a Korean name's trailing two may be cut from when a
# title's complement runs into the name ("... Affairs Kim Song Nam").
_EN_KOREAN_SURNAMES = frozenset(
    _words("kim lee ri park pak choe choi cho jo kang han jang chang shin sin yun yoon jong")
)


def _complement_name(tokens: list[str], k: int) -> tuple[int, int]:
    """The name after a title's capitalised complement ("Secretary of State Mike Pompeo",
    "Assistant Secretary of State for Terrorist Financing and Financial Crime Elizabeth
    Rosenberg", "Director-General of the World Health Organization (WHO) Tedros Adhanom
    Ghebreyesus"): the complement's words and the name run together, so the name is the
    run's last two name words (with an initial between them, and a Korean family name
    before them), and the run must end where the sentence goes on in lower case or
    punctuation. (k, k) when there is none."""
    n = len(tokens)
    if k >= n or tokens[k].lower() not in {"of", "for"}:
        return k, k
    j = k
    while j < n and j - k < 16:
        w = tokens[j]
        if w[:1].isupper() or w.lower() in {"of", "for", "the", "and", "&", "(", ")"}:
            j += 1
        else:
            break
    if j == n and not tokens[-1].endswith("."):  # a line cut short: the run may go on
        return k, k
    if (j < n and tokens[j] in {"(", ")"}) or tokens[j - 1].lower() in _EN_PARTICLES:
        return k, k
    end = j
    # The trailing name words: capitalised, no institution word, initials allowed.
    start = end
    names = 0
    while start > k + 1 and names < 2:
        w = tokens[start - 1]
        if len(w) == 2 and w[1] == "." and w[0].isupper():  # "E." in "Brian E. Nelson"
            start -= 1
            continue
        if not _is_cap(w) or w.isupper() or w.lower() in _EN_PLACE_HEADS:
            break
        start -= 1
        names += 1
    if names < 2 or start <= k + 1:  # the complement must keep a word of its own
        return k, k
    tail = tokens[start:end]
    if any(w.endswith(("’s", "'s")) for w in tail) or tail[-1].lower() in _EN_BODY_HEADS:
        return k, k  # "Samsung’s Device", "the End Fuel Poverty Coalition"
    if end + 1 < n and tokens[end] == "," and tokens[end + 1].lower() in _EN_VERBS:
        return k, k  # "a coordinator of the X Coalition, said": the name came before
    if start > k + 1 and tokens[start - 1].lower() in _EN_KOREAN_SURNAMES:
        start -= 1
    while start < end and not _is_cap(tokens[start]):  # no initial leads a name
        start += 1
    return (start, end) if end - start >= 2 else (k, k)


_EN_NOT_SURNAMES = _EN_PLACE_HEADS | _EN_BODY_HEADS | _EN_INSTITUTION | _EN_SERVICES


def _plain_name(rest: list[str]) -> bool:
    """Whether the words after a listed first name are a surname and no more: no acronym,
    and no word that names a place, a body or an institution ("Elizabeth City Police",
    "James Madison University" are not people)."""
    return all(not w.isupper() and w.lower() not in _EN_NOT_SURNAMES for w in rest)


def _korean_name(run: list[str]) -> bool:
    """A Korean name as English prints it: a family name, then the given name hyphenated
    ("Choe Myong-su", "Ri Chol-ju") or as two short syllables ("Jang Kuk Chol")."""
    if run[0].lower() not in _EN_KOREAN_SURNAMES:
        return False
    given = run[1:]
    if len(given) == 1:
        head, _, tail = given[0].partition("-")
        return bool(tail) and tail.isalpha() and tail.islower() and len(head) <= 5
    return len(given) == 2 and all(len(w) <= 5 and w.isalpha() for w in given)


def _title_case(tokens: list[str]) -> bool:
    """Whether a line is a headline in title case: five words or more, every one but the
    small words capitalised, and no sentence's full stop at its end."""
    if tokens[-1] in {".", "!", "?", '"', "”"}:  # most lines: a sentence, read no further
        return False
    words = 0
    for t in tokens:
        if t[0].isalpha():
            if not t[0].isupper() and t.lower().rstrip(".") not in _EN_SMALL:
                return False
            words += 1
    return words >= 5


def _names_a_person(tokens: list[str], start: int, end: int) -> bool:
    """Whether a run of capitals is a person's name and not part of something longer: a
    run ending in a place's head ("Prince Edward Island", "Matagorda County") names a
    place, and one followed by a title ("Matagorda County Judge Nate McDonald", "Georgia
    Democratic Sens. Jon Ossoff", "Olympic champs Vyacheslav Fetisov") or by an
    institution's capitalised word ("King Abdulaziz International Conference Center")
    qualifies what follows."""
    if tokens[end - 1].lower() in _EN_PLACE_HEADS:
        return False
    if end < len(tokens):
        nxt = tokens[end]
        low = nxt.lower()
        if _is_title(low) and low not in {"mr.", "ms.", "mrs.", "dr.", "mr", "ms", "mrs", "dr"}:
            return False
        if nxt[:1].isupper() and (low in _EN_PLACE_HEADS or low in _EN_INSTITUTION):
            return False
    return True


def english_names(line: str) -> Iterable[str]:
    tokens = _EN_TOKEN.findall(line)
    n = len(tokens)
    if n and _title_case(tokens):
        return
    # Only a title, a reporting verb or a capitalised word can start a name: found in a
    # comprehension, so the loop below runs at those few places only.
    starts = [i for i, t in enumerate(tokens) if t[0].isupper() or t in _EN_CUES]
    last = 0
    for i in starts:
        if i < last:
            continue
        low = tokens[i].lower()
        title = _is_title(low)  # read up to four times below: looked up once
        found: list[tuple[int, int]] = []
        if i > 0 and title and tokens[i - 1].lower() in _EN_SHIPS:
            last = i + 1  # a ship's name, not a person's
            continue
        if title or (low == "to" and i > 0 and tokens[i - 1].lower() == "according"):
            k = i + 1
            if k < n and tokens[k] in {",", ":"} and low not in {"mr.", "ms.", "mrs.", "dr."}:
                k += 1
            # "Deputy Foreign Minister X": skip the rest of a capitalised title.
            while k < n and _is_title(tokens[k].lower()):
                k += 1
            end = _en_name(tokens, k)
            if end == k and title:
                k2, end = _after_complement(tokens, k)
                if end == k2:
                    k2, end = _complement_name(tokens, k)
                k = k2
            if end - k >= (1 if title else 2):
                found.append((k, end))
                # "cosmonauts Sergey Ryzhikov and Alexey Zubritsky", "PCs Stafford, Mieres"
                while end + 1 < n and tokens[end] in {"and", ","}:
                    after = _en_name(tokens, end + 1)
                    if after == end + 1:
                        break
                    found.append((end + 1, after))
                    end = after
        elif _is_cap(tokens[i]) and (i == 0 or not _is_cap(tokens[i - 1])):
            end = _en_name(tokens, i)
            if end - i >= 2:
                nxt = tokens[end].lower() if end < n else ""
                after = tokens[end + 1] if end + 1 < n else ""
                role = nxt == "," and (after.isdigit() or _role_after(tokens, i, end + 1))
                possessive = tokens[end - 1].endswith(("’s", "'s"))
                first = (low in _EN_FIRST_NAMES or _korean_name(tokens[i:end])) and (
                    end - i <= 3 and _plain_name(tokens[i + 1 : end])
                )
                if role or possessive or first or (nxt in _EN_VERBS and nxt != "according"):
                    found.append((i, end))
        elif (low in _EN_VERBS and low != "according") or low in _EN_BY:
            end = _en_name(tokens, i + 1)
            if end - (i + 1) >= 2:
                found.append((i + 1, end))
        found = [(a, b) for a, b in found if _names_a_person(tokens, a, b)]
        for start, end in found:
            name = " ".join(tokens[start:end])
            if name.endswith(("’s", "'s")):
                name = name[:-2]
            # "Jane Doe." at a sentence's end: the period is not the name's, an initial's is.
            yield name[:-1] if name.endswith(".") and name[-3:-2] != " " else name
        last = found[-1][1] if found else i + 1
