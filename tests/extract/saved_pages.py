"""Saved-page text in several languages, labelled line by line, for the cleaner's tests.

Each fixture is written as a site would leave it in a copied or saved page; the first two
characters of every line give its expected label ("T " title, "B " boilerplate, "M "
metadata, "C " caption, ". " body). `split()` turns a fixture into the text the cleaner
sees and the expected label of each 1-based line.
"""

from __future__ import annotations

CODES = {"T": "title", "B": "boilerplate", "M": "metadata", "C": "caption", ".": "body"}


def split(fixture: str) -> tuple[str, dict[int, str]]:
    text_lines, labels = [], {}
    for no, line in enumerate(fixture.strip("\n").split("\n"), 1):
        if not line.strip():
            text_lines.append("")
            continue
        code, content = line[:2], line[2:]
        labels[no] = CODES[code.strip()]
        text_lines.append(content)
    return "\n".join(text_lines), labels


ENGLISH = """
B Skip to main content
B Home
B World
B Politics
B Business
T Talks on disputed shipments resume in Geneva after months of delay - Example News
M By Jane Smith and Omar Haddad
M Published: 3 March 2024
B Share this article
. GENEVA (Reuters) - Negotiators from both countries met in Geneva on Monday to resume talks on the disputed shipments, officials said, after a pause of several months in which both sides traded accusations.
. The delegations agreed to meet again next week, according to a joint statement released after the meeting ended late in the evening, and said technical teams would work in between.
C Delegates arrive at the Palais des Nations in Geneva on Monday (AP Photo/Martial Trezzini)
. "We have made progress on the questions that matter most to our people," the lead negotiator told reporters outside the building, without giving details of what had been agreed.
B Read more: Why the Geneva talks matter for the region's grain exports
. Diplomats familiar with the talks said the main sticking point remained the inspection of cargo at sea, which one side regards as a matter of sovereignty and the other as a guarantee.
. What comes next
. Analysts cautioned that similar rounds had collapsed before, most recently in the autumn, when a dispute over the wording of a final communique ended the meeting a day early.
. Subscribers to the shipping industry's main newsletter were told that insurance rates for the route could fall if the talks produced a written agreement before the summer.
. The share price of the largest operator on the route rose 4 percent on the news, its best day since January, as traders bet on a reopening of the corridor.
M Source: Reuters
B Sign up for our morning briefing and get the day's top stories in your inbox.
B Follow us on Twitter and Facebook
B Related articles
B Grain prices fall to a six-month low as harvest estimates rise
B Shipping insurers raise premiums for vessels crossing the strait
B Opinion: The corridor deal is a test of trust that both sides can still pass
B © 2024 Example News. All rights reserved.
B We use cookies to improve your experience. By continuing to browse the site you agree to our use of cookies.
"""

FRENCH = """
B Accueil
B International
T Le gouvernement présente son plan pour l'industrie | Le Journal
M Par Marie Dupont
M Publié le 5 mars 2024 à 10h12
. PARIS (AFP) - Le gouvernement a présenté mardi un plan de soutien à l'industrie de plusieurs milliards d'euros, destiné selon le ministre à relancer la production dans les régions les plus touchées.
. Le texte prévoit des aides aux entreprises qui investissent dans de nouvelles usines, ainsi qu'un fonds pour la formation des salariés, a précisé le ministère dans un communiqué.
B Lire aussi : Les syndicats appellent à une journée de mobilisation
. Les syndicats ont salué certaines mesures mais jugé l'ensemble insuffisant, estimant que le plan ne répondait pas aux fermetures de sites annoncées depuis le début de l'année.
. L'opposition a dénoncé un effet d'annonce et réclamé un débat au Parlement avant toute dépense, tandis que le patronat s'est dit prêt à discuter des conditions des aides.
C Photo : le ministre lors de la présentation du plan à Bercy. AFP
. Le ministre doit présenter le détail des mesures aux présidents de région la semaine prochaine, avant un vote prévu au printemps.
B Abonnez-vous à notre newsletter
B Partager sur Facebook
B Tous droits réservés © Le Journal 2024
"""

GERMAN = """
B Startseite
B Politik
T Regierung kündigt neues Investitionsprogramm für die Bahn an
M Veröffentlicht am 5. März 2024
M Von Hans Müller
. BERLIN (dpa) - Die Bundesregierung will in den kommenden Jahren deutlich mehr Geld in das Schienennetz investieren, wie der Verkehrsminister am Dienstag in Berlin ankündigte.
. Nach den Plänen sollen vor allem stark befahrene Strecken saniert und Brücken erneuert werden, die seit Jahren als marode gelten und immer wieder für Verspätungen sorgen.
B Lesen Sie auch: Bahn meldet Rekord bei Verspätungen im Winter
. Der Fahrgastverband begrüßte die Ankündigung, forderte aber einen verbindlichen Zeitplan und mehr Personal in den Stellwerken, damit das Geld auch tatsächlich verbaut werden könne.
C Foto: Ein Regionalzug fährt über eine sanierte Brücke. (Foto: dpa)
. Kritiker aus der Opposition bemängelten, dass die Finanzierung über das Jahr 2026 hinaus nicht gesichert sei und der Bundestag noch zustimmen müsse.
B Schlagworte: Bahn, Verkehr, Investitionen, Bundesregierung
B Folgen Sie uns auf Twitter
B Alle Rechte vorbehalten
"""

# Levantine months, Eastern Arabic digits, an inline "read also" between paragraphs, a
# source credit, a theme notice in English at the bottom, tag spam.
ARABIC = """
B الرئيسية
B أخبار
T وزير الخارجية يبحث مع نظيره التركي ملف المعابر الحدودية | أخبار عربية
M نشر في ٣ شباط ٢٠٢٤
. (عمّان) – بحث وزير الخارجية مع نظيره التركي خلال اتصال هاتفي، اليوم الأحد، سبل إعادة فتح المعابر الحدودية أمام حركة البضائع والمسافرين بعد إغلاق دام عدة أشهر.
. وقالت الوزارة في بيان إن الجانبين اتفقا على تشكيل لجنة فنية مشتركة تجتمع خلال الأسبوع المقبل لوضع ترتيبات العبور وضمان سلامة الشاحنات.
B اقرأ أيضا: ارتفاع أسعار الشحن البري إلى مستويات قياسية
. وأضاف البيان أن الوزيرين ناقشا أيضا التطورات الإقليمية وأهمية التنسيق بين البلدين في مواجهة التحديات الاقتصادية التي تواجه المنطقة.
. وشارك في الاتصال عدد من المسؤولين في الوزارتين، بحسب ما أفادت وكالة الأنباء الرسمية، التي أشارت إلى أن المحادثات جرت في أجواء إيجابية.
C صورة: وزير الخارجية خلال مؤتمر صحفي سابق (أرشيفية)
. ومن المتوقع أن يزور الوزير التركي العاصمة الشهر المقبل لاستكمال المباحثات وتوقيع عدد من الاتفاقيات في مجالات النقل والتجارة.
M المصدر: الجزيرة
B الوسوم: المعابر تركيا الأردن تجارة المعابر تركيا الأردن تجارة
B تابعونا على فيسبوك وتويتر
B This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.
"""

SPANISH = """
T El Gobierno aprueba un plan de ayudas para el campo
M Publicado el 5 de marzo de 2024
. MADRID (EFE) - El Consejo de Ministros aprobó este martes un plan de ayudas para los agricultores afectados por la sequía, que según el Gobierno llegará a más de cien mil explotaciones.
. Las organizaciones agrarias consideraron que las medidas llegan tarde, aunque valoraron la rapidez con la que se tramitarán los pagos durante las próximas semanas.
B Lee también: La sequía reduce a la mitad la cosecha de cereal
. El ministro explicó que las ayudas se pagarán antes del verano y que se revisarán en otoño si la situación no mejora en las principales cuencas.
B Compartir en Twitter
B Todos los derechos reservados
"""

RUSSIAN = """
T Правительство утвердило новую программу поддержки регионов
M Опубликовано: 5 марта 2024
. МОСКВА, 5 марта - Правительство утвердило программу поддержки регионов, которая предусматривает выделение дополнительных средств на ремонт дорог и школ, сообщили в пресс-службе кабинета министров.
. По словам министра, первые средства поступят в регионы уже в апреле, а полный отчет о расходах будет представлен до конца года.
B Читайте также: Регионы получат больше полномочий в сфере образования
. Эксперты отметили, что программа позволит снизить нагрузку на местные бюджеты, однако её эффект будет зависеть от сроков выделения денег.
M Источник: ТАСС
B Подпишитесь на наш канал в Telegram
B Все права защищены
"""

# A magazine page: menu on one line, reading time, share bar of network names, an author
# box and reader comments after the article, headlines listed without a heading, and a
# subheading and an unpunctuated last paragraph that must stay.
MAGAZINE = """
B Home | News | Science | Climate | Opinion
B Accept all
T Why the glaciers of the Alps are melting faster than expected
M By Anna Berger
B 6 min read
B Facebook Twitter WhatsApp Email
. Glaciers in the Alps lost a record share of their ice last year, researchers said on Tuesday, as a hot summer followed a winter with little snow across most of the range.
. The measurements, taken at more than a hundred sites, show that the thinning has accelerated over the past decade and now reaches the highest glaciers in Switzerland.
. What the data show
. Scientists said the loss was driven mainly by warmer summers, but that dust from the Sahara had darkened the snow and made it absorb more sunlight in spring.
. Several ski resorts have already closed lifts that served glaciers, and hydropower companies are revising their forecasts for the coming decades
B About the author
B Anna Berger is a science writer based in Zurich who covers climate and the environment.
B Ski resorts prepare for a winter without snow on the lower slopes
B Hydropower output falls as reservoirs run low in the southern Alps
B Comments (2)
B I have been skiing on that glacier since the 1980s and it is shocking to see.
B Thanks for this clear explanation of the data.
"""

FIXTURES = {
    "en-magazine": MAGAZINE,
    "en": ENGLISH,
    "fr": FRENCH,
    "de": GERMAN,
    "ar": ARABIC,
    "es": SPANISH,
    "ru": RUSSIAN,
}
