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
    screenwriter counterpart counterparts engineer maj. brig. cmdr. colleague councillor"""
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


def _is_cap(word: str) -> bool:
    low = word.lower()
    return word[:1].isupper() and low.rstrip(".") not in _EN_NOT_NAME and low not in _EN_TITLES


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
        found: list[tuple[int, int]] = []
        if i > 0 and low in _EN_TITLES and tokens[i - 1].lower() in _EN_SHIPS:
            last = i + 1  # a ship's name, not a person's
            continue
        if low in _EN_TITLES or (low == "to" and i > 0 and tokens[i - 1].lower() == "according"):
            k = i + 1
            if k < n and tokens[k] in {",", ":"} and low not in {"mr.", "ms.", "mrs.", "dr."}:
                k += 1
            # "Deputy Foreign Minister X": skip the rest of a capitalised title.
            while k < n and tokens[k].lower() in _EN_TITLES:
                k += 1
            end = _en_name(tokens, k)
            if end == k and low in _EN_TITLES:
                k, end = _after_complement(tokens, k)
            if end - k >= (1 if low in _EN_TITLES else 2):
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
                if role or possessive or (nxt in _EN_VERBS and nxt != "according"):
                    found.append((i, end))
        elif (low in _EN_VERBS and low != "according") or low in _EN_BY:
            end = _en_name(tokens, i + 1)
            if end - (i + 1) >= 2:
                found.append((i + 1, end))
        for start, end in found:
            name = " ".join(tokens[start:end])
            if name.endswith(("’s", "'s")):
                name = name[:-2]
            # "Jane Doe." at a sentence's end: the period is not the name's, an initial's is.
            yield name[:-1] if name.endswith(".") and name[-3:-2] != " " else name
        last = found[-1][1] if found else i + 1
