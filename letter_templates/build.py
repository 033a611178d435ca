"""Build the Dutch letter templates (<kind>.docx) from the descriptions below: python letter_templates/build.py.

Each letter kind is one function returning its body as a list of blocks, so a change to a letter can be
reviewed as code. The .docx files are checked in and stay editable in Word; rebuilding overwrites them.

Rules for docxtpl: every Jinja tag sits inside ONE run (build() refuses a run with half a tag) and never
spans paragraphs; `{%p ... %}` tags stand alone in their paragraph, `{%tr ... %}` tags alone in a table row.
The letterhead text comes from `practice.*` at render time (letterhead.json); only the logo is static.
"""

import argparse
import dataclasses
import io
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
LOGO = HERE / "logo.png"
FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
ACCENT = RGBColor(0x1F, 0x5F, 0x7A)
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_MM = 165  # A4 210 mm minus margins of 25 and 20 mm
FIXED_MOMENT = datetime(2026, 1, 1)  # core properties and zip entries: a rebuild changes no bytes

# Paragraph styles, named in Dutch because the process owner sees them in Word.
BODY = "Normal"
TIGHT = "Brief regel"
HEADING = "Brief kop"
BULLET = "List Bullet"
CELL = "Brief tabel"
SMALL = "Brief klein"


# --- the blocks a letter is made of -----------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    """One paragraph; **text** between double asterisks is bold. Jinja tags stay whole inside a run."""

    text: str
    style: str = BODY
    space_after: float | None = None  # points; None keeps the style's spacing
    space_before: float | None = None
    keep_with_next: bool = False


@dataclass(frozen=True)
class Field:
    """A row of a two-column table: a label and a value (text or paragraphs); `when` hides the row."""

    label: str
    value: str | list[Para]
    when: str | None = None


@dataclass(frozen=True)
class Fields:
    """A two-column table of labels and values."""

    rows: list[Field]


@dataclass(frozen=True)
class Column:
    """A column of a list table: heading, width in mm, and the cell text (or paragraphs) of one item."""

    heading: str
    width: float
    value: str | list[Para]


@dataclass(frozen=True)
class Rows:
    """A table with a heading row and one row per item (`{%tr for var in items %}`); `empty` when none."""

    var: str
    items: str
    columns: list[Column]
    empty: str


@dataclass(frozen=True)
class Letter:
    """A letter kind: its title (document property), body, and the standard parts around it."""

    title: str
    body: list
    salutation: str | None = "Geachte {{ addressee.name }},"
    addressed: bool = True  # False: no addressee block (the complaints form is a record, not a letter)
    closing: str = "Met vriendelijke groet,"
    copy_to: str | None = None


def p(text: str, **options) -> Para:
    """A body paragraph."""
    return Para(text, **options)


def h(text: str) -> Para:
    """A section heading inside a letter."""
    return Para(text, HEADING)


def bullet(text: str) -> Para:
    """A bulleted paragraph."""
    return Para(text, BULLET)


def tag(statement: str) -> Para:
    """A paragraph holding only a docxtpl paragraph tag; docxtpl removes the paragraph when rendering."""
    return Para("{%p " + statement + " %}")


def if_(condition: str, *blocks, otherwise: tuple = ()) -> list:
    """Blocks shown only when the Jinja condition holds (and `otherwise` when it does not)."""
    result = [tag(f"if {condition}"), *blocks]
    if otherwise:
        result += [tag("else"), *otherwise]
    return result + [tag("endif")]


def for_(loop: str, *blocks) -> list:
    """Blocks repeated for each item (`item in items`)."""
    return [tag(f"for {loop}"), *blocks, tag("endfor")]


def value(expression: str) -> str:
    """A value of the case record: a dash when it is empty, so an empty field is visibly empty."""
    return "{{ " + expression + ' or "—" }}'


def yes_no(expression: str) -> str:
    """A boolean of the case record as "ja" or "nee"."""
    return "{{ " + f'"ja" if {expression} else "nee"' + " }}"


CLIENT = "complaint.commissioning_client"
CONTACT = ("Heeft u vragen over deze brief? Neem dan contact met ons op via {{ practice.phone }} of "
           "{{ practice.email }} en vermeld ons kenmerk {{ reference }}.")


# --- parts shared by several letters ----------------------------------------------------------------------

def external_routes() -> list:
    """Where the complainant can turn next (Awb 9:12 style), phrased for the commissioning client."""
    return [
        p("Bent u niet tevreden over de manier waarop wij uw klacht hebben afgehandeld? Dan kunt u de "
          "volgende stappen zetten."),
        *if_(f'{CLIENT}.kind != "none" and {CLIENT}.name',
             p("**Opdrachtgever.** U kunt uw klacht voorleggen aan {{ " + CLIENT + ".name }}, de opdrachtgever "
               "van uw coachings- of re-integratietraject.")),
        tag(f'if {CLIENT}.kind in ("uwv", "municipality")'),
        p("**Ombudsman.** Als laatste mogelijkheid kunt u terecht bij de Nationale Ombudsman "
          "(www.nationaleombudsman.nl) of de ombudsman van uw gemeente. De ombudsman behandelt klachten over "
          "overheidsinstanties, zoals {% if " + CLIENT + '.kind == "uwv" %}het UWV{% else %}de gemeente'
          "{% endif %}, nadat die instantie de klacht eerst zelf heeft behandeld. Dat kan tot een jaar nadat "
          "de instantie uw klacht heeft afgehandeld."),
        tag(f'elif {CLIENT}.kind == "employer"'),
        p("**Ombudsman.** De Nationale Ombudsman en de gemeentelijke ombudsman behandelen alleen klachten over "
          "overheidsinstanties, zoals het UWV of een gemeente. Uw traject voeren wij uit in opdracht van uw "
          "werkgever. Is uw werkgever geen overheidsinstantie, dan kan de ombudsman uw klacht niet behandelen."),
        tag("else"),
        p("**Ombudsman.** De Nationale Ombudsman en de gemeentelijke ombudsman behandelen alleen klachten over "
          "overheidsinstanties, zoals het UWV of een gemeente. Uw traject is niet in opdracht van een "
          "overheidsinstantie uitgevoerd; de ombudsman kan uw klacht daarom niet behandelen."),
        tag("endif"),
        *if_("complaint.concerns_personal_data",
             p("**Autoriteit Persoonsgegevens.** Gaat uw klacht over het verwerken van uw persoonsgegevens en "
               "bent u niet tevreden over de oplossing die wij u bieden? Dan kunt u een klacht indienen bij de "
               "Autoriteit Persoonsgegevens, via autoriteitpersoonsgegevens.nl. De Autoriteit Persoonsgegevens "
               "behandelt alleen klachten over het gebruik van uw eigen persoonsgegevens, en alleen als u de "
               "organisatie eerst zelf om een oplossing heeft gevraagd. Dat heeft u gedaan met uw klacht bij "
               "ons.")),
    ]


def offers_table(items: str = "offers", reaction_heading: str = "Uw reactie") -> Rows:
    """Every offer round: when decided, what was offered, when called, satisfied or not, the reaction."""
    return Rows("offer", items, [
        Column("Besloten op", 23, "{{ offer.decided_on }}"),
        Column("Aanbod", 56, [*if_("offer.types", Para('{{ offer.types|join(", ") }}:', CELL)),
                              Para("{{ offer.description }}", CELL)]),
        Column("Gebeld op", 23, "{{ offer.called_on }}"),
        Column("Tevreden", 20, "{{ offer.satisfied_label }}"),
        Column(reaction_heading, 43, "{{ offer.reaction }}"),
    ], empty="Er is geen aanbod gedaan.")


def case_summary() -> Fields:
    """The case in one table, for the escalation letters."""
    return Fields([
        Field("Ons kenmerk", "{{ reference }}"),
        Field("Klager", "{{ complainant.name }}"),
        Field("Opdrachtgever", "{{ " + CLIENT + ".name }} ({{ " + CLIENT + ".kind_label }})",
              when=f"{CLIENT}.name"),
        Field("Betrokken coach", "{{ coach.name }}"),
        Field("Datum van de klacht", "{{ complaint.dated_on }}"),
        Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
        Field("Omschrijving", "{{ complaint.description }}"),
        Field("Behandelaar", "{{ handler.name }}{% if handler.function %}, {{ handler.function }}{% endif %}",
              when="handler.name"),
        Field("Niet in behandeling genomen", "{{ admissibility.reason }} {{ unfounded.explanation }}",
              when="not admissibility.taken_into_handling"),
        Field("Reactie van de coach", "{{ investigation.coach_reaction_summary }}",
              when="investigation.coach_reaction_summary"),
        Field("Oordeel", "{{ measures.founded_label }}", when="measures.founded_label"),
        Field("Aanbod en reactie", for_("offer in offers", Para(
            "{{ offer.decided_on }}: {{ offer.description }} Tevreden: "
            '{{ offer.satisfied_label or "nog niet gevraagd" }}.{% if offer.reaction %} {{ offer.reaction }}'
            "{% endif %}", CELL)), when="offers"),
        Field("Opgelost op", "{{ resolution.resolved_on }}", when="resolution.resolved_on"),
        Field("Oplossing", "{{ resolution.resolution_summary }}", when="resolution.resolution_summary"),
    ])


def body_details(title: str) -> list:
    """The contact details of the external body of an escalation letter."""
    return [
        h(title),
        Fields([
            Field("Instantie", "{{ escalation.body.name }}"),
            Field("Behandelt", "{{ escalation.body.handles }}", when="escalation.body.handles"),
            Field("Termijn", "{{ escalation.body.time_limit }}", when="escalation.body.time_limit"),
            Field("Adres", '{{ escalation.body.address_lines|join(", ") }}', when="escalation.body.address_lines"),
            Field("Website", "{{ escalation.body.website }}", when="escalation.body.website"),
        ]),
    ]


# --- the letters, one function per kind ---------------------------------------------------------------------

def ontvangstbevestiging() -> Letter:
    """Acknowledgement, within 2 weeks of receipt: the complaint in short, the further handling, the term."""
    return Letter("Ontvangstbevestiging", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht ontvangen. Met deze brief bevestigen wij dat. "
          "Dank u wel dat u de moeite heeft genomen om ons te laten weten waarover u niet tevreden bent."),
        h("Uw klacht in het kort"),
        p("{{ acknowledgement.summary }}"),
        Fields([
            Field("Datum van uw klacht", "{{ complaint.dated_on }}"),
            Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
            Field("Plaats", "{{ acknowledgement.place }}", when="acknowledgement.place"),
            Field("Bijzondere omstandigheden", "{{ acknowledgement.circumstances }}",
                  when="acknowledgement.circumstances"),
            Field("Betrokken coach", "{{ coach.name }}"),
        ]),
        h("Wie behandelt uw klacht?"),
        p("Uw klacht wordt behandeld door {{ handler.name }}{% if handler.function %}, {{ handler.function }}"
          "{% endif %}. De behandelaar is een onafhankelijk persoon en erkend lid van NOLOC, de "
          "beroepsvereniging van loopbaanprofessionals. De behandelaar is niet de coach over wie u klaagt."),
        h("Hoe gaat het verder?"),
        bullet("De behandelaar legt uw klacht voor aan {{ coach.name }} en vraagt om een reactie."),
        bullet("Daarna beoordeelt de behandelaar of uw klacht gegrond is en wat wij u kunnen aanbieden, "
               "bijvoorbeeld een correctie, een compensatie of een vervangende dienst."),
        bullet("De behandelaar belt u om dit met u te bespreken en vraagt of u tevreden bent. Van dat gesprek "
               "krijgt u een schriftelijk verslag."),
        bullet("Vinden wij uw klacht ongegrond en nemen wij haar niet in behandeling, dan laten wij u dat binnen "
               "vier weken na ontvangst schriftelijk weten, met de reden."),
        h("Wanneer hoort u van ons?"),
        *if_("acknowledgement.expected_term_weeks",
             p("Wij verwachten uw klacht binnen {{ acknowledgement.expected_term_weeks }} weken na ontvangst af "
               "te handelen{% if acknowledgement.expected_end_date %}, dus uiterlijk op "
               "{{ acknowledgement.expected_end_date }}{% endif %}. Lukt dat niet, dan laten wij u dat vóór die "
               "datum schriftelijk weten, met de reden en de nieuwe datum."),
             otherwise=(p("Wij verwachten uw klacht binnen zes weken na ontvangst af te handelen. Lukt dat niet, "
                          "dan laten wij u dat op tijd schriftelijk weten, met de reden en de nieuwe datum."),)),
        p("Heeft u vragen, of wilt u iets aanvullen? Neem dan contact met ons op via {{ practice.phone }} of "
          "{{ practice.email }} en vermeld ons kenmerk {{ reference }}."),
    ])


def bericht_niet_in_behandeling() -> Letter:
    """Unfounded and not taken into handling, within 4 weeks of receipt: the reasons and where to turn next."""
    return Letter("Bericht niet in behandeling", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht van {{ complaint.dated_on }} ontvangen. U schreef "
          "ons het volgende:"),
        p("{{ complaint.description }}"),
        p("Wij hebben uw klacht zorgvuldig bekeken. Wij vinden uw klacht **ongegrond** en nemen haar daarom "
          "**niet in behandeling**. Hieronder leest u waarom, en waar u terechtkunt als u het niet eens bent met "
          "deze beslissing."),
        h("Waarom nemen wij uw klacht niet in behandeling?"),
        *if_("admissibility.reason", p("{{ admissibility.reason }}")),
        *if_("unfounded.explanation", p("{{ unfounded.explanation }}")),
        h("Bent u het niet eens met deze beslissing?"),
        *external_routes(),
        p("Volgens ons klachtenreglement laten wij u dit binnen vier weken na ontvangst van uw klacht weten. "
          + CONTACT),
    ])


def verslag_telefoongesprek() -> Letter:
    """Report of the offer call, within 6 weeks of receipt: the offer, the reaction, satisfied or not."""
    return Letter("Verslag telefoongesprek", [
        p("Op {{ call.called_on }} heeft {{ handler.name }} u gebeld over uw klacht van {{ complaint.dated_on }}. "
          "In dit verslag leest u wat wij in dat gesprek met u hebben besproken."),
        h("Uw klacht"),
        p("{{ acknowledgement.summary or complaint.description }}"),
        h("Het onderzoek"),
        p("De behandelaar heeft uw klacht voorgelegd aan {{ coach.name }}.{% if "
          "investigation.coach_reaction_summary %} Samengevat was de reactie:{% endif %}"),
        *if_("investigation.coach_reaction_summary", p("{{ investigation.coach_reaction_summary }}")),
        h("Het oordeel en ons aanbod"),
        *if_("measures.founded_label", p("De behandelaar vindt uw klacht **{{ measures.founded_label }}**.")),
        *if_("measures.cause", p("Oorzaak: {{ measures.cause }}")),
        *if_("measures.offer_types", p('Soort aanbod: {{ measures.offer_types|join(", ") }}.')),
        *if_("measures.offer_description", p("{{ measures.offer_description }}")),
        h("Uw reactie"),
        *if_("call.complainant_satisfied",
             p("U heeft in het gesprek laten weten dat u **tevreden** bent met dit aanbod."),
             otherwise=(p("U heeft in het gesprek laten weten dat u **niet tevreden** bent met dit aanbod."),)),
        *if_("call.complainant_reaction", p("Uw reactie, zoals wij die hebben genoteerd: "
                                            "{{ call.complainant_reaction }}")),
        h("Hoe gaat het verder?"),
        *if_("call.complainant_satisfied",
             p("Wij voeren het aanbod uit zoals afgesproken. Is uw klacht opgelost, dan ontvangt u binnen twee "
               "weken een eindverslag."),
             otherwise=(p("De behandelaar beoordeelt nu of een nieuw intern onderzoek en/of een nieuw aanbod "
                          "nodig is. Wij nemen daarover contact met u op."),)),
        *if_("offers|length > 1", h("Eerdere aanbiedingen"), offers_table("offers[:-1]")),
        p("Klopt dit verslag niet, of hebben wij iets gemist? Laat het ons dan binnen twee weken weten via "
          "{{ practice.phone }} of {{ practice.email }}, met ons kenmerk {{ reference }}."),
    ])


def verlengingsbericht() -> Letter:
    """The 6-week term is extended: the reason and the new date; a copy goes to the coach concerned."""
    return Letter("Verlengingsbericht", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht ontvangen. Volgens ons klachtenreglement ontvangt "
          "u binnen zes weken na ontvangst een schriftelijk verslag van het telefoongesprek waarin de behandelaar "
          "u een aanbod doet.{% if extension.previous_due_on %} Die termijn loopt af op "
          "{{ extension.previous_due_on }}.{% endif %}"),
        h("Wij hebben meer tijd nodig"),
        p("Het lukt ons niet om uw klacht binnen die termijn zorgvuldig af te handelen. Wij verlengen de termijn "
          "daarom tot en met **{{ extension.new_due_on }}**."),
        h("De reden"),
        p("{{ extension.reason }}"),
        *if_("extension.complainant_consent",
             p("U heeft ermee ingestemd dat wij de termijn tot deze datum verlengen. Dank u wel daarvoor.")),
        p("Het spijt ons dat u langer op een oplossing moet wachten. Wij houden u op de hoogte. " + CONTACT),
    ], copy_to="{{ coach.name }} (betrokken coach)")


def eindverslag() -> Letter:
    """Final report to all involved, within 2 weeks of the resolution."""
    return Letter("Eindverslag", [
        p("Uw klacht van {{ complaint.dated_on }} is{% if resolution.resolved_on %} op "
          "{{ resolution.resolved_on }}{% endif %} afgehandeld. In dit eindverslag leest u hoe wij uw klacht "
          "hebben behandeld en wat er is besloten. Het verslag gaat naar iedereen die bij de klacht betrokken is."),
        h("Uw klacht"),
        Fields([
            Field("Datum van uw klacht", "{{ complaint.dated_on }}"),
            Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
            Field("Omschrijving", "{{ complaint.description }}"),
            Field("Betrokken coach", "{{ coach.name }}"),
            Field("Behandelaar", "{{ handler.name }}{% if handler.function %}, {{ handler.function }}{% endif %}"),
        ]),
        h("Het onderzoek"),
        p("De behandelaar heeft uw klacht voorgelegd aan {{ coach.name }}.{% if "
          "investigation.coach_reaction_summary %} Samengevat was de reactie:{% endif %}"),
        *if_("investigation.coach_reaction_summary", p("{{ investigation.coach_reaction_summary }}")),
        *if_("investigation.coach_agrees", p("{{ coach.name }} is akkoord met deze samenvatting.")),
        h("Het oordeel"),
        *if_("measures.founded_label", p("De behandelaar vindt uw klacht **{{ measures.founded_label }}**."
                                         "{% if measures.severity_label %} De ernst van de klacht is "
                                         "beoordeeld als {{ measures.severity_label }}.{% endif %}")),
        *if_("measures.cause", p("Oorzaak: {{ measures.cause }}")),
        h("Ons aanbod en uw reactie"),
        offers_table(),
        h("De oplossing"),
        p('{{ resolution.resolution_summary or "Er is geen samenvatting van de oplossing vastgelegd." }}'),
        h("Wat doen wij om herhaling te voorkomen?"),
        *if_("preventive.measures_needed",
             p("{{ preventive.measures }}"),
             *if_("preventive.consulted", p("Hierover hebben wij overlegd met {{ preventive.consulted }}.")),
             otherwise=(p("De behandelaar heeft beoordeeld dat er geen aanvullende maatregelen nodig zijn om "
                          "herhaling te voorkomen."),)),
        h("Bent u niet tevreden?"),
        *external_routes(),
        p("Dank u wel voor de moeite die u heeft genomen. Uw klacht helpt ons onze dienstverlening te verbeteren. "
          + CONTACT),
    ], copy_to="{{ coach.name }} (betrokken coach)")


def doorverwijzing_opdrachtgever() -> Letter:
    """To the commissioning client: the complainant is not satisfied and refers the complaint; case summary."""
    return Letter("Doorverwijzing opdrachtgever", [
        p("{{ complainant.name }} heeft op {{ complaint.dated_on }} bij ons een klacht ingediend over het "
          "coachings- of re-integratietraject dat wij in uw opdracht uitvoeren. Wij hebben deze klacht behandeld "
          "volgens ons klachtenreglement. {{ complainant.name }} is niet tevreden over onze afhandeling en wil de "
          "klacht aan u als opdrachtgever voorleggen. Daarom verwijzen wij de klacht naar u door, zoals ons "
          "klachtenreglement voorschrijft."),
        *if_("escalation.reason", h("Waarom de klager niet tevreden is"), p("{{ escalation.reason }}")),
        h("Samenvatting van de klacht"),
        case_summary(),
        h("Wat vragen wij van u?"),
        p("Wij vragen u de klacht te beoordelen en uw reactie rechtstreeks aan {{ complainant.name }} te sturen. "
          "Wilt u ons laten weten hoe u de klacht afhandelt? Dan leggen wij dat vast in ons klachtendossier."),
        p("Wij sturen alleen de gegevens mee die nodig zijn om de klacht te beoordelen. Heeft u meer informatie "
          "nodig? Neem dan contact op met {{ handler.name }} via {{ practice.phone }} of {{ practice.email }} en "
          "vermeld ons kenmerk {{ reference }}."),
    ], salutation="Geachte heer, mevrouw,", copy_to="{{ complainant.name }}")


def informatie_ombudsman() -> Letter:
    """The ombudsman route: what it handles, phrased for the case's commissioning client; case summary."""
    return Letter("Informatie ombudsman", [
        p("U heeft ons laten weten dat u niet tevreden bent over de afhandeling van uw klacht van "
          "{{ complaint.dated_on }}, en dat u wilt weten of u met uw klacht naar de ombudsman kunt. In deze brief "
          "leest u wat de ombudsman doet, wat dat betekent voor uw klacht en hoe u de ombudsman bereikt."),
        *if_("escalation.reason", p("Uw reden, zoals wij die hebben vastgelegd: {{ escalation.reason }}")),
        h("Wat doet de ombudsman?"),
        p("De Nationale Ombudsman en de gemeentelijke ombudsman zijn onafhankelijk. Zij behandelen klachten over "
          "overheidsinstanties, zoals het UWV en gemeenten. U dient uw klacht eerst in bij de instantie zelf. Bent "
          "u daarna niet tevreden over de manier waarop die instantie uw klacht heeft behandeld, dan kunt u naar "
          "de ombudsman. Dat moet binnen een jaar nadat de instantie uw klacht heeft afgehandeld. De ombudsman is "
          "de laatste stap in de behandeling van een klacht."),
        h("Wat betekent dit voor uw klacht?"),
        tag(f'if {CLIENT}.kind == "uwv"'),
        p("Uw traject voeren wij uit in opdracht van {{ " + CLIENT + ".name }}. De Nationale Ombudsman kan uw "
          "klacht behandelen als een klacht over het UWV. Dien uw klacht daarom eerst in bij het UWV. Bent u niet "
          "tevreden over de manier waarop het UWV uw klacht heeft behandeld, dan kunt u naar de Nationale "
          "Ombudsman."),
        tag(f'elif {CLIENT}.kind == "municipality"'),
        p("Uw traject voeren wij uit in opdracht van {{ " + CLIENT + ".name }}. Klachten over een gemeente "
          "behandelt de ombudsman van die gemeente; heeft de gemeente geen eigen ombudsman, dan de Nationale "
          "Ombudsman. Dien uw klacht daarom eerst in bij {{ " + CLIENT + ".name }}. Bent u niet tevreden over de "
          "manier waarop de gemeente uw klacht heeft behandeld, dan kunt u naar de ombudsman. Op de website van "
          "uw gemeente staat welke ombudsman voor uw gemeente werkt."),
        tag(f'elif {CLIENT}.kind == "employer"'),
        p("Uw traject voeren wij uit in opdracht van uw werkgever, {{ " + CLIENT + ".name }}. De ombudsman "
          "behandelt geen klachten over werkgevers of particuliere organisaties, zoals onze praktijk. Alleen als "
          "uw werkgever een overheidsinstantie is, kan de ombudsman een klacht over uw werkgever behandelen, "
          "nadat u die eerst bij uw werkgever heeft ingediend. Wij raden u aan uw klacht voor te leggen aan uw "
          "werkgever als opdrachtgever van het traject."),
        tag("else"),
        p("Uw traject is niet in opdracht van een overheidsinstantie uitgevoerd. De ombudsman behandelt geen "
          "klachten over particuliere organisaties, zoals onze praktijk, en kan uw klacht daarom niet behandelen."),
        tag("endif"),
        *body_details("Gegevens van de ombudsman"),
        h("Samenvatting van uw klacht"),
        p("Voeg deze samenvatting en de brieven die u van ons over uw klacht heeft ontvangen bij als u een klacht "
          "indient. Dan is meteen duidelijk wat er al is gebeurd."),
        case_summary(),
        p(CONTACT),
    ])


def informatie_autoriteit_persoonsgegevens() -> Letter:
    """The data-protection route: only complaints about one's own personal data, after asking us first."""
    website = '{{ escalation.body.website or "autoriteitpersoonsgegevens.nl" }}'
    return Letter("Informatie Autoriteit Persoonsgegevens", [
        p("U heeft ons laten weten dat u niet tevreden bent over de oplossing die wij u hebben geboden voor uw "
          "klacht van {{ complaint.dated_on }} over het verwerken van uw persoonsgegevens. U kunt uw klacht dan "
          "voorleggen aan de Autoriteit Persoonsgegevens. In deze brief leest u hoe dat werkt."),
        *if_("escalation.reason", p("Uw reden, zoals wij die hebben vastgelegd: {{ escalation.reason }}")),
        h("Wat doet de Autoriteit Persoonsgegevens?"),
        p("De Autoriteit Persoonsgegevens (AP) houdt in Nederland toezicht op het gebruik van persoonsgegevens. U "
          "kunt bij de AP een klacht indienen als u vindt dat een organisatie niet goed omgaat met uw eigen "
          "persoonsgegevens."),
        h("Wanneer kunt u bij de AP terecht?"),
        bullet("Uw klacht gaat over het verwerken van uw eigen persoonsgegevens."),
        bullet("U heeft de organisatie eerst zelf om een oplossing gevraagd. Dat heeft u gedaan met uw klacht bij "
               "ons (ons kenmerk {{ reference }})."),
        bullet("U bent niet tevreden over de oplossing die de organisatie u heeft geboden."),
        *if_("not complaint.concerns_personal_data",
             p("**Let op:** volgens ons dossier gaat uw klacht niet over het verwerken van persoonsgegevens. De AP "
               "kan uw klacht dan waarschijnlijk niet behandelen.")),
        p("Op de website van de AP, " + website + ", leest u hoe u een klacht indient. Voeg deze brief en de "
          "brieven die u van ons over uw klacht heeft ontvangen bij. Dan ziet de AP dat u ons eerst om een "
          "oplossing heeft gevraagd."),
        *body_details("Gegevens van de Autoriteit Persoonsgegevens"),
        h("Samenvatting van uw klacht"),
        case_summary(),
        p(CONTACT),
    ])


def klachtenformulier() -> Letter:
    """The standard complaints form: the whole case record as tables."""
    return Letter("Standaard klachtenformulier", [
        p("Dit formulier is het dossier van de klacht met kenmerk {{ reference }}, vastgelegd volgens het "
          "klachtenreglement van {{ practice.name }}."),
        h("Registratie"),
        Fields([
            Field("Kenmerk", "{{ reference }}"),
            Field("Datum van de klacht", value("complaint.dated_on")),
            Field("Ontvangen op", value("complaint.received_on")),
            Field("Wijze van indienen", value("complaint.channel_label")),
            Field("Omschrijving", value("complaint.description")),
            Field("Betreft persoonsgegevens", yes_no("complaint.concerns_personal_data")),
            Field("Opdrachtgever", "{% if " + CLIENT + ".name %}{{ " + CLIENT + ".name }} ({{ " + CLIENT
                  + ".kind_label }}){% else %}geen{% endif %}"),
        ]),
        h("Klager"),
        Fields([
            Field("Naam", "{{ complainant.name }}"),
            Field("Adres", [*for_("line in complainant.address_lines", Para("{{ line }}", CELL)),
                            *if_("not complainant.address_lines", Para("—", CELL))]),
            Field("E-mail", value("complainant.email")),
            Field("Telefoon", value("complainant.phone")),
        ]),
        h("Betrokken coach en behandelaar"),
        Fields([
            Field("Betrokken coach", value("coach.name")),
            Field("Behandelaar", value("handler.name")),
            Field("Functie behandelaar", value("handler.function")),
        ]),
        h("Ontvangstbevestiging"),
        Fields([
            Field("Korte omschrijving", value("acknowledgement.summary")),
            Field("Plaats", value("acknowledgement.place")),
            Field("Bijzondere omstandigheden", value("acknowledgement.circumstances")),
            Field("Verwachte termijn", "{% if acknowledgement.expected_term_weeks %}"
                  "{{ acknowledgement.expected_term_weeks }} weken{% if acknowledgement.expected_end_date %} "
                  "(uiterlijk {{ acknowledgement.expected_end_date }}){% endif %}{% else %}—{% endif %}"),
        ]),
        h("Ontvankelijkheid"),
        Fields([
            Field("In behandeling genomen", yes_no("admissibility.taken_into_handling")),
            Field("Reden", "{{ admissibility.reason }}", when="admissibility.reason"),
            Field("Toelichting ongegrond", "{{ unfounded.explanation }}", when="unfounded.explanation"),
        ]),
        h("Onderzoek"),
        Fields([
            Field("Reactie van de coach (samenvatting)", value("investigation.coach_reaction_summary")),
            Field("Coach akkoord met de samenvatting", yes_no("investigation.coach_agrees")),
        ]),
        h("Beslissing en maatregelen"),
        Fields([
            Field("Oordeel", value("measures.founded_label")),
            Field("Ernst", value("measures.severity_label")),
            Field("Oorzaak", value("measures.cause")),
            Field("Soort aanbod", '{{ measures.offer_types|join(", ") or "—" }}'),
            Field("Omschrijving aanbod", value("measures.offer_description")),
        ]),
        h("Aanbiedingen en reacties van de klager"),
        offers_table(reaction_heading="Reactie klager"),
        h("Verlengingen van de termijn"),
        Rows("item", "extensions", [
            Column("Vastgelegd", 28, "{{ item.on }}"),
            Column("Oorspronkelijke datum", 30, "{{ item.previous_due_on }}"),
            Column("Nieuwe datum", 28, "{{ item.new_due_on }}"),
            Column("Reden", 57, "{{ item.reason }}"),
            Column("Instemming klager", 22, yes_no("item.complainant_consent")),
        ], empty="De termijn is niet verlengd."),
        h("Oplossing en eindverslag"),
        Fields([
            Field("Opgelost op", value("resolution.resolved_on")),
            Field("Samenvatting van de oplossing", value("resolution.resolution_summary")),
        ]),
        h("Preventieve maatregelen"),
        Fields([
            Field("Maatregelen nodig", yes_no("preventive.measures_needed")),
            Field("Maatregelen", value("preventive.measures")),
            Field("Overlegd met", value("preventive.consulted")),
        ]),
        h("Escalaties"),
        Rows("item", "escalations", [
            Column("Vastgelegd", 28, "{{ item.on }}"),
            Column("Route", 40, "{{ item.route_label }}"),
            Column("Instantie", 40, value("item.body_name")),
            Column("Reden", 57, "{{ item.reason }}"),
        ], empty="De klacht is niet verder voorgelegd."),
        h("Termijnen"),
        Rows("deadline", "deadlines", [
            Column("Termijn", 55, "{{ deadline.label }}"),
            Column("Uiterlijk", 35, "{{ deadline.due_on }}"),
            Column("Gehaald op", 35, value("deadline.met_on")),
            Column("Status", 40, "{{ deadline.status_label }}"),
        ], empty="Er zijn geen termijnen vastgelegd."),
        h("Geschiedenis"),
        Rows("event", "history", [
            Column("Wanneer", 42, "{{ event.at }}"),
            Column("Door", 28, "{{ event.actor }}"),
            Column("Wat", 95, "{{ event.text }}"),
        ], empty="Er is geen geschiedenis vastgelegd."),
    ], salutation=None, addressed=False, closing="Vastgelegd door de behandelaar:")


LETTERS = {
    "ontvangstbevestiging": ontvangstbevestiging,
    "bericht_niet_in_behandeling": bericht_niet_in_behandeling,
    "verslag_telefoongesprek": verslag_telefoongesprek,
    "verlengingsbericht": verlengingsbericht,
    "eindverslag": eindverslag,
    "doorverwijzing_opdrachtgever": doorverwijzing_opdrachtgever,
    "informatie_ombudsman": informatie_ombudsman,
    "informatie_autoriteit_persoonsgegevens": informatie_autoriteit_persoonsgegevens,
    "klachtenformulier": klachtenformulier,
}


# --- documents of the practice that are not a complaint's letter ------------------------------------------------

@dataclass(frozen=True)
class Report:
    """A document of the practice (not about one complaint): title, body; the footer names the document."""

    title: str
    body: list
    footer: str


def jaarverslag_klachten() -> Report:
    """The annual complaints report: figures, deadlines, lead times, per category, measures and their effect."""
    return Report("Jaarverslag klachten", [
        Para("Jaarverslag klachten {{ report.year }}", HEADING, space_before=0),
        p("{{ practice.name }}, {{ report.made_on }}"),
        p("Dit verslag beschrijft de klachten die {{ practice.name }} van {{ report.period }} heeft ontvangen en "
          "afgehandeld volgens het klachtenreglement: hoeveel het er waren, hoe ze zijn afgelopen, of de termijnen "
          "zijn gehaald, en welke maatregelen de praktijk heeft genomen om herhaling te voorkomen. Het verslag "
          "bevat geen namen van klagers."),
        h("Kerncijfers"),
        Fields([
            Field("Ontvangen klachten", "{{ summary.received }}"),
            Field("Afgehandelde klachten", "{{ summary.closed }}"),
            Field("Klager tevreden met de oplossing", "{{ summary.satisfied_share_label }}"),
            Field("Voorgelegd aan een externe instantie", "{{ summary.escalated }}"),
        ]),
        h("Uitkomsten"),
        Rows("outcome", "outcomes", [
            Column("Uitkomst", 115, "{{ outcome.label }}"),
            Column("Aantal", 50, "{{ outcome.count }}"),
        ], empty="Er zijn geen klachten afgehandeld."),
        h("Termijnen"),
        Rows("deadline", "deadlines", [
            Column("Termijn", 75, "{{ deadline.label }}"),
            Column("Gehaald", 30, "{{ deadline.met }}"),
            Column("Totaal", 30, "{{ deadline.total }}"),
            Column("Aandeel gehaald", 30, "{{ deadline.share_label }}"),
        ], empty="Er liepen geen termijnen af."),
        h("Doorlooptijden"),
        Rows("lead", "lead_times", [
            Column("Stap", 75, "{{ lead.label }}"),
            Column("Mediaan (dagen)", 45, "{{ lead.median_label }}"),
            Column("90% binnen (dagen)", 45, "{{ lead.p90_label }}"),
        ], empty="Er zijn geen doorlooptijden te berekenen."),
        h("Klachten per maand"),
        *if_("by_month", p("{{ images.by_month }}", space_after=2),
             Para("Aantal ontvangen klachten per maand (1 = januari).", SMALL)),
        Rows("month", "by_month", [
            Column("Maand", 40, "{{ month.label }}"),
            Column("Ontvangen", 25, "{{ month.received }}"),
            Column("Verdeling", 100, "{{ month.bar }}"),
        ], empty="Er zijn geen klachten ontvangen."),
        h("Klachten per categorie"),
        *if_("per_category", p("{{ images.per_category }}", space_after=2),
             Para("Aantal ontvangen klachten per categorie, in de volgorde van de tabel.", SMALL)),
        Rows("row", "per_category", [
            Column("Nr.", 12, "{{ loop.index }}"),
            Column("Categorie", 73, "{{ row.category }}"),
            Column("Ontvangen", 25, "{{ row.received }}"),
            Column("Gegrond", 25, "{{ row.founded }}"),
            Column("Ongegrond", 30, "{{ row.unfounded }}"),
        ], empty="Er zijn geen klachten ingedeeld in een categorie."),
        h("Preventieve maatregelen en hun effect"),
        p("Per maatregel staat of een klacht in dezelfde categorie daarna opnieuw is voorgekomen. Een maatregel "
          "zonder herhaling heeft zijn doel in deze periode bereikt."),
        Rows("measure", "preventive", [
            Column("Categorie", 40, "{{ measure.category }}"),
            Column("Maatregel", 90, "{{ measure.measures }}"),
            Column("Effect", 35, "{{ measure.effect }}"),
        ], empty="Er zijn geen preventieve maatregelen vastgelegd."),
        h("Externe instanties"),
        Rows("escalation", "escalations", [
            Column("Voorgelegd aan", 115, "{{ escalation.label }}"),
            Column("Aantal", 50, "{{ escalation.count }}"),
        ], empty="Geen klager heeft de klacht aan een externe instantie voorgelegd."),
        *if_("report.note", Para("{{ report.note }}", SMALL, space_before=9)),
        p("Vastgesteld door de praktijkhouder namens {{ practice.name }}.", space_before=12),
    ], footer="{{ practice.name }}  ·  Jaarverslag klachten {{ report.year }}")


DOCUMENTS = {"jaarverslag_klachten": jaarverslag_klachten}


def opening(letter: Letter) -> list:
    """Place and date, the addressee, our reference, the subject and the salutation."""
    blocks = [p("{{ letter.place }}, {{ letter.date }}", space_after=12)]
    if letter.addressed:
        blocks += if_("addressee.name",
                      Para("{{ addressee.name }}", TIGHT),
                      *for_("line in addressee.address_lines", Para("{{ line }}", TIGHT)),
                      Para("", TIGHT, space_after=6))
    blocks += [Para("Ons kenmerk: {{ reference }}", TIGHT),
               Para("Betreft: **{{ letter.subject }}**", TIGHT, space_after=14)]
    if letter.salutation:
        blocks.append(p(letter.salutation))
    return blocks


def closing(letter: Letter) -> list:
    """The closing line and the handler's signature (name and function); a copy line when there is one."""
    blocks = [Para(letter.closing, BODY, space_after=30, keep_with_next=True),
              Para("**{{ handler.name }}**", TIGHT, keep_with_next=True),
              *if_("handler.function", Para("{{ handler.function }}", TIGHT, keep_with_next=True)),
              Para("namens {{ practice.name }}", TIGHT)]
    if letter.copy_to:
        blocks += [Para("", TIGHT), Para("Afschrift aan: " + letter.copy_to, SMALL)]
    return blocks


# --- writing .docx with python-docx -------------------------------------------------------------------------

_TAG_PARTS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def _check_run(text: str) -> None:
    """Refuse a run that holds half a Jinja tag: docxtpl can only render tags that sit in one run."""
    depth = []
    for token in _TAG_PARTS.findall(text):
        if token in ("{{", "{%", "{#"):
            if depth:
                raise ValueError(f"nested Jinja tag in run: {text!r}")
            depth.append(token)
        elif not depth or {"{{": "}}", "{%": "%}", "{#": "#}"}[depth.pop()] != token:
            raise ValueError(f"unbalanced Jinja tag in run: {text!r}")
    if depth:
        raise ValueError(f"unclosed Jinja tag in run: {text!r}")


def _runs(text: str) -> list[tuple[str, bool]]:
    """Split **bold** markup into (text, bold) runs, each checked to hold whole tags only."""
    parts = text.split("**")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced ** in {text!r}")
    runs = [(part, index % 2 == 1) for index, part in enumerate(parts) if part]
    for part, _ in runs:
        _check_run(part)
    return runs


def _set_fonts(rpr_parent, name: str = FONT) -> None:
    """Set every font slot of a style or run to one font and drop theme fonts (which would win)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _setup_styles(document) -> None:
    """Arial 10 pt, Dutch spelling, and the few paragraph styles the letters use."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for fonts in rpr.findall(qn("w:rFonts")):
        rpr.remove(fonts)
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    rpr.insert(0, fonts)
    rpr.find(qn("w:lang")).set(qn("w:val"), "nl-NL")

    normal = document.styles["Normal"]
    _set_fonts(normal.element)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    def add(name: str, *, size: float = 10, bold: bool = False, after: float = 0, before: float = 0,
            color: RGBColor | None = None, keep_next: bool = False):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.font.bold = bold
        if color is not None:
            style.font.color.rgb = color
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.keep_with_next = keep_next
        return style

    add(TIGHT)
    add(HEADING, size=11, bold=True, before=10, after=3, color=ACCENT, keep_next=True)
    add(CELL, size=9, after=2).paragraph_format.line_spacing = 1.0
    add(SMALL, size=8.5, color=GREY)
    bullets = document.styles[BULLET]
    _set_fonts(bullets.element)
    bullets.font.size = Pt(10)
    bullets.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):  # without the US Letter tab stops of python-docx's template
        style = document.styles[name]
        _set_fonts(style.element)
        tabs = style.element.pPr.find(qn("w:tabs")) if style.element.pPr is not None else None
        if tabs is not None:
            style.element.pPr.remove(tabs)


def _setup_page(document) -> None:
    """A4 portrait with room for the letterhead and the footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(38), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _insert(parent, child, before: tuple[str, ...]) -> None:
    """Insert child ahead of the first of its schema successors present: Word refuses elements out of order."""
    for tag_name in before:
        successor = parent.find(qn(tag_name))
        if successor is not None:
            successor.addprevious(child)
            return
    parent.append(child)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert(tc_pr, shading, ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))


def _borders(table, color: str = "A6A6A6", edges=("top", "left", "bottom", "right", "insideH", "insideV")):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in edges:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), color)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"))


def _widths(table, widths_mm: list[float]) -> None:
    """Fix column widths for Word (cell widths) and LibreOffice (the grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _fill(paragraph, item: Para) -> None:
    """Write a Para into an existing paragraph, one run per bold/plain piece."""
    paragraph.style = item.style
    for text, bold in _runs(item.text):
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
    if item.space_after is not None:
        paragraph.paragraph_format.space_after = Pt(item.space_after)
    if item.space_before is not None:
        paragraph.paragraph_format.space_before = Pt(item.space_before)
    if item.keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def _fill_cell(cell, content: str | list[Para], style: str = CELL) -> None:
    items = [Para(content, style)] if isinstance(content, str) else content
    _fill(cell.paragraphs[0], items[0])
    for item in items[1:]:
        _fill(cell.add_paragraph(), item)


def _keep_rows_whole(table) -> None:
    """A row is not split over two pages (a row taller than a page still is)."""
    for row in table.rows:
        _insert(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"),
                ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"))


def _tag_row(table, statement: str) -> None:
    """A row holding only a `{%tr ... %}` tag: docxtpl replaces the whole row by the tag."""
    row = table.add_row()
    _fill(row.cells[0].paragraphs[0], Para("{%tr " + statement + " %}", CELL))


def _add_fields(document, block: Fields) -> None:
    table = document.add_table(rows=0, cols=2)
    for item in block.rows:
        if item.when:
            _tag_row(table, f"if {item.when}")
        row = table.add_row()
        _fill_cell(row.cells[0], item.label)
        _shade(row.cells[0], "EEF3F6")
        _fill_cell(row.cells[1], item.value)
        if item.when:
            _tag_row(table, "endif")
    _borders(table)
    _widths(table, [50, TEXT_WIDTH_MM - 50])
    _keep_rows_whole(table)


def _add_rows(document, block: Rows) -> None:
    _add_block(document, tag(f"if {block.items}"))
    table = document.add_table(rows=1, cols=len(block.columns))
    heading = table.rows[0]
    heading._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, column in zip(heading.cells, block.columns, strict=True):
        _fill_cell(cell, [Para(f"**{column.heading}**", CELL)])
        _shade(cell, "EEF3F6")
    _tag_row(table, f"for {block.var} in {block.items}")
    row = table.add_row()
    for cell, column in zip(row.cells, block.columns, strict=True):
        _fill_cell(cell, column.value)
    _tag_row(table, "endfor")
    _borders(table)
    _widths(table, [column.width for column in block.columns])
    _keep_rows_whole(table)
    _add_block(document, tag("else"))
    _add_block(document, p(block.empty))
    _add_block(document, tag("endif"))


def _add_block(document, block) -> None:
    if isinstance(block, list):
        for item in block:
            _add_block(document, item)
    elif isinstance(block, Para):
        _fill(document.add_paragraph(), block)
    elif isinstance(block, Fields):
        _add_fields(document, block)
    elif isinstance(block, Rows):
        _add_rows(document, block)
    else:
        raise TypeError(f"unknown block {block!r}")


def _flat(blocks) -> list:
    """Flatten the nested lists that if_() and for_() return."""
    result = []
    for block in blocks:
        result += _flat(block) if isinstance(block, list) else [block]
    return result


def _is_tag(block) -> bool:
    return isinstance(block, Para) and block.text.startswith("{%p ")


def _spaced(blocks: list) -> list:
    """Give a paragraph that follows a table some room (Word puts no space after a table)."""
    result, after_table = [], False
    for block in blocks:
        if isinstance(block, Para) and not _is_tag(block):
            if after_table and block.style in (BODY, TIGHT, SMALL) and block.space_before is None:
                block = dataclasses.replace(block, space_before=9)
            after_table = False
        elif isinstance(block, Fields | Rows):
            after_table = True
        result.append(block)
    return result


def _add_field(paragraph, instruction: str, shown: str) -> None:
    """A real Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""
    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _letterhead(document, logo: Path) -> None:
    """Page header: the logo left, the practice's details right, all from practice.* at render time."""
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=Mm(TEXT_WIDTH_MM))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.paragraphs[0].add_run().add_picture(str(logo), width=Mm(36))
    lines = [
        Para("**{{ practice.name }}**", "Header"),
        Para('{{ practice.address_lines|join(", ") }}', "Header"),
        Para("T {{ practice.phone }}  ·  {{ practice.email }}", "Header"),
        Para("{{ practice.website }}", "Header"),
    ]
    _fill(text_cell.paragraphs[0], lines[0])
    for line in lines[1:]:
        _fill(text_cell.add_paragraph(), line)
    for index, paragraph in enumerate(text_cell.paragraphs):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(12 if index == 0 else 8.5)
            run.font.color.rgb = ACCENT if index == 0 else GREY
    _borders(table, color="1F5F7A", edges=("bottom",))
    _widths(table, [45, TEXT_WIDTH_MM - 45])
    # The header keeps python-docx's empty paragraph after the table (Word wants a paragraph last).
    spacer = header.paragraphs[0]
    spacer._p.addprevious(table._tbl)
    spacer.paragraph_format.space_after = Pt(0)


def _footer(document, left: str = "{{ practice.name }}  ·  Ons kenmerk {{ reference }}") -> None:
    """Page footer: practice and reference left, "pagina N van M" right, with real PAGE/NUMPAGES fields."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(left)
    paragraph.add_run("\tpagina ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" van ")
    _add_field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "A6A6A6")):
        top.set(qn(key), val)
    borders.append(top)
    _insert(paragraph._p.get_or_add_pPr(), borders, ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                                     "w:ind", "w:jc", "w:rPr"))


def _stable_zip(content: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so an unchanged template rebuilds to the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _slim(document) -> None:
    """Drop what python-docx's default template carries but no letter uses: ~100 table styles (350 KB of
    XML), the Word 2010 copy of the styles, a thumbnail and a custom-XML item. Each letter renders ~3x faster."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1" \
                and style.get(qn("w:styleId")) != "TableGrid":
            styles.remove(style)
    for owner in (document.part, document.part.package):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "thumbnail", "customXml"):
                owner.drop_rel(rel_id) if owner is document.part else owner.rels.pop(rel_id)


def build_report(kind: str, report: Report, logo: Path) -> bytes:
    """Return the .docx template of a document of the practice: letterhead and styles of the letters."""
    document = Document()
    _slim(document)
    _setup_styles(document)
    _setup_page(document)
    _letterhead(document, logo)
    _footer(document, report.footer)
    for block in _spaced(_flat(report.body)):
        _add_block(document, block)
    return _save(document, kind, report.title)


def build_letter(kind: str, letter: Letter, logo: Path) -> bytes:
    """Return the .docx template of one letter kind."""
    document = Document()
    _slim(document)
    _setup_styles(document)
    _setup_page(document)
    _letterhead(document, logo)
    _footer(document)
    body = _flat(letter.body)
    last = max((index for index, block in enumerate(body) if isinstance(block, Para) and not _is_tag(block)),
               default=None)
    if last is not None and last == len(body) - 1:  # the last paragraph goes along with the signature
        body[last] = dataclasses.replace(body[last], keep_with_next=True)
    for block in _spaced([*_flat(opening(letter)), *body, *_flat(closing(letter))]):
        _add_block(document, block)
    return _save(document, kind, letter.title)


def _save(document, kind: str, title: str) -> bytes:
    """Set the document properties (fixed moments, so a rebuild changes no bytes) and return the .docx."""
    properties = document.core_properties
    properties.title = title
    properties.subject = kind
    properties.author = properties.last_modified_by = "MVZLoopbaancoaching"
    properties.comments = "Gemaakt met letter_templates/build.py. Een Jinja-tag staat altijd in één stuk tekst."
    properties.language = "nl-NL"
    properties.created = properties.modified = FIXED_MOMENT
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue())


# --- the logo: a plain PNG made with the standard library -----------------------------------------------------

_GLYPHS = {  # 5 x 7 pixel letters
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    "Z": ["11111", "00001", "00010", "00100", "01000", "10000", "11111"],
}


def make_logo(path: Path, width: int = 240, height: int = 80, text: str = "MVZ") -> None:
    """Write a small PNG: a coloured block with the initials drawn as pixel blocks."""
    background, foreground, stripe = (0x1F, 0x5F, 0x7A), (0xFF, 0xFF, 0xFF), (0xF2, 0xA9, 0x00)
    scale, gap = 8, 8
    text_width = len(text) * 5 * scale + (len(text) - 1) * gap
    left, top = (width - text_width) // 2, (height - 7 * scale) // 2 - 2
    pixels = [[background] * width for _ in range(height)]
    for y in range(height - 6, height):
        pixels[y] = [stripe] * width
    for index, letter in enumerate(text):
        x0 = left + index * (5 * scale + gap)
        for gy, line in enumerate(_GLYPHS[letter]):
            for gx, bit in enumerate(line):
                if bit == "1":
                    for y in range(top + gy * scale, top + (gy + 1) * scale):
                        for x in range(x0 + gx * scale, x0 + (gx + 1) * scale):
                            pixels[y][x] = foreground
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    dots_per_metre = 5906  # 150 dpi
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    path.write_bytes(png)


def build_all(out_dir: Path = HERE, logo: Path = LOGO) -> list[Path]:
    """Build every template into out_dir (creating the logo first if it does not exist); return the paths."""
    if not logo.exists():
        make_logo(logo)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, describe in LETTERS.items():
        path = out_dir / f"{kind}.docx"
        path.write_bytes(build_letter(kind, describe(), logo))
        written.append(path)
    return written


def build_documents(out_dir: Path = HERE, logo: Path = LOGO) -> list[Path]:
    """Build the practice's documents that are not letters (the annual report); return the paths."""
    if not logo.exists():
        make_logo(logo)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, describe in DOCUMENTS.items():
        path = out_dir / f"{kind}.docx"
        path.write_bytes(build_report(kind, describe(), logo))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build the templates (into letter_templates/ unless --out says otherwise)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the .docx files")
    args = parser.parse_args(argv)
    for path in [*build_all(args.out), *build_documents(args.out)]:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
