"""The beat's words around something else (issue 17, fifth collection of the real set's
train split): the war as the backdrop of a concert, an Easter-egg class or what bread
costs; a power plant's minister visiting Russia; a champion team's White House visit; an
oil-spill exercise. Each case is the shape of a train excerpt the rules tagged, written
short; each refusal names its reason, and the beat's own reports still tag."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def topics() -> TopicTagger:
    return taggers.topics()


def _refusal(topics: TopicTagger, text: str, topic: str) -> str:
    doc = Document(text)
    assert topic not in {t.topic for t in topics.tag(doc)}
    reasons = {r.topic: r.reason for r in topics.decide(doc)[1]}
    assert topic in reasons, f"{topic} not even considered: the case no longer tests the veto"
    return reasons[topic]


@pytest.mark.parametrize(
    ("text", "topic", "why"),
    [
        (
            "The city orchestra has removed a Russian composer from its concerts following "
            "Russia's invasion of Ukraine. The war in Ukraine made the programme "
            "inappropriate, the orchestra said.",
            "ukraine_war",
            "culture",
        ),
        (
            "Bakeries fear higher bills: the war in Ukraine is pushing up wheat prices, and "
            "Russia's invasion of Ukraine has closed the Black Sea ports.",
            "ukraine_war",
            "prices",
        ),
        (
            "ارتفعت أسعار القمح بسبب الحرب الروسية على أوكرانيا، وباتت المخابز تغلق في وقت "
            "مبكر منذ بدء الهجوم الروسي على أوكرانيا.",
            "ukraine_war",
            "prices",
        ),
        (
            "أعلن الاتحاد الروسي لكرة القدم إقامة مباراة ودية أمام صربيا، في أول مواجهة منذ "
            "حرمان المنتخب على خلفية الحرب الروسية الأوكرانية.",
            "ukraine_war",
            "sport",
        ),
        (
            "وزير الكهرباء يزور روسيا في زيارة رسمية لمتابعة محطة الضبعة النووية، ويلتقي "
            "خلال الزيارة بمسؤولي الملف النووي الروسي لبحث مستجدات المشروع.",
            "diplomacy_summits",
            "civil nuclear power",
        ),
        (
            "وزير الكهرباء يزور روسيا لمتابعة تركيب وعاء المفاعل النووي في محطة الضبعة "
            "النووية لتوليد الكهرباء، ضمن البرنامج النووي المصري السلمي.",
            "nuclear_missile",
            "civil nuclear power",
        ),
        (
            "The winner of the Super Bowl often visits the White House, where the team meets "
            "the president of the United States; President Trump welcomed the champions on "
            "a visit to the White House.",
            "diplomacy_summits",
            "sport",
        ),
        (
            "South Korea's power company signed a deal to build two nuclear reactors in the "
            "Czech Republic: two 1,000-megawatt units, its first nuclear reactor export.",
            "nuclear_missile",
            "civil nuclear power",
        ),
        (
            "The U.S. nuclear industry asked the Trump administration for access to nuclear "
            "plants during the refueling outage season: nuclear reactors load a fresh batch "
            "of fuel every 18 to 24 months.",
            "nuclear_missile",
            "civil nuclear power",
        ),
        (
            "قالت شركة كوريا للطاقة الكهربائية إن الإمارات بدأت التشغيل التجاري للمفاعل "
            "النووي الرابع، بعد استكمال إدخال قضبان الوقود في المفاعل.",
            "nuclear_missile",
            "civil nuclear power",
        ),
        (
            "أعلنت النيجر، التي تتواصل مع روسيا، طرح اليورانيوم للبيع، ويعد تعدين اليورانيوم "
            "محور النزاع مع الشركة الفرنسية التي تشغل مناجم اليورانيوم.",
            "nuclear_missile",
            "uranium mining",
        ),
        (
            "The U.S. Air Force funds a hypersonic jet: the startup will test its hypersonic "
            "aircraft, a passenger plane flying at five times the speed of sound.",
            "nuclear_missile",
            "civil aviation",
        ),
        (
            "The students in the Model UN team enacted a hypothetical Security Council "
            "meeting on Iran's highly enriched uranium and a nuclear bomb.",
            "un_security_council",
            "Model UN",
        ),
        (
            "نظم طلاب الجامعة نموذج الأمم المتحدة، حيث ناقش مجلس الأمن قضية مضيق تايوان "
            "واقترح حلولا، وصوت الأعضاء على قرار.",
            "un_security_council",
            "Model UN",
        ),
        (
            "أطلقت شركة سبيس إكس 60 قمرا صناعيا من مشروع ستارلينك على صاروخ فالكون 9 إلى "
            "المدار، لتوفير الإنترنت عبر الأقمار الصناعية حول العالم، بحسب موقع أمريكي.",
            "space_satellites",
            "Starlink",
        ),
        (
            "A Kim Jong Un impersonator staged a fake summit with a Trump lookalike; "
            "whenever North Korea launches a missile his phone rings.",
            "nuclear_missile",
            "impersonators",
        ),
        (
            "Riazantsev won the Russian chess championship, a round-robin tournament: after "
            "six rounds half the players led, rounds 7 to 10 were drawn, and with two rounds "
            "to go anyone could win.",
            "arms_transfers",
            "sport",
        ),
        (
            "South Korea's Lunar New Year follows the lunar calendar; during the Lunar New "
            "Year families visit their ancestors' graves.",
            "space_satellites",
            "terms blocked",
        ),
        (
            "The U.S. Coast Guard and the Navy held a joint exercise to respond to a "
            "simulated oil spill; the naval drill tested the pollution response of the "
            "port's agencies.",
            "military_exercises",
            "emergency-response",
        ),
    ],
)
def test_the_beat_s_words_around_something_else_are_refused_and_say_why(
    topics: TopicTagger, text: str, topic: str, why: str
) -> None:
    assert why in _refusal(topics, text, topic)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Russian forces struck grain silos in Odesa overnight, Ukraine's military said; "
            "the war in Ukraine has now reached the port's terminals.",
            "ukraine_war",
        ),
        (
            "التقى الرئيس الروسي فلاديمير بوتين نظيره الكوري الشمالي كيم جونغ أون في قمة "
            "بموسكو، وأجرى الزعيمان محادثات رسمية.",
            "diplomacy_summits",
        ),
        (
            "أدرجت وزارة التجارة الأمريكية 49 شركة صينية على اللائحة السوداء، وطبقت إجراءات "
            "تقييدية ضد شركات تزود روسيا برقائق.",
            "sanctions",
        ),
        (
            "Russia and China have once again conducted a joint strategic bomber air patrol "
            "over the Sea of Japan; the two countries held joint patrols near Alaska.",
            "military_exercises",
        ),
        (
            "وقال المصدر لوكالة نوفوستي إن إطلاق صاروخ النقل سويوز وعلى متنه القمر الاصطناعي "
            "المصري البديل تقرر مبدئيا في نوفمبر.",
            "space_satellites",
        ),
        (
            "North Korea and Russia held joint naval exercises in the Sea of Japan, with "
            "warships and fighter jets in military drills.",
            "military_exercises",
        ),
    ],
)
def test_the_beat_s_own_reports_still_tag(topics: TopicTagger, text: str, topic: str) -> None:
    assert topic in {t.topic for t in topics.tag(Document(text))}
