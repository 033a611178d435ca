"""Texts shared by the letters: the opening and closing around every letter and passages several letters repeat."""

import dataclasses

from .language import (
    BODY,
    CELL,
    SMALL,
    TIGHT,
    Column,
    Field,
    Fields,
    Letter,
    Para,
    Rows,
    flat,
    for_,
    h,
    if_,
    is_tag,
    p,
    tag,
)

LETTER_FOOTER = "{{ practice.name }}  ·  Ons kenmerk {{ reference }}"  # left of "pagina N van M"
CLIENT = "complaint.commissioning_client"
CONTACT = ("Heeft u vragen over deze brief? Neem dan contact met ons op via {{ practice.phone }} of "
           "{{ practice.email }} en vermeld ons kenmerk {{ reference }}.")


# --- parts shared by several letters ----------------------------------------------------------------------

def external_routes() -> list:
    """Return where the complainant can turn next (Awb 9:12 style), phrased for the commissioning client."""
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
    """Return every offer round: when decided, what was offered, when called, satisfied or not, the reaction."""
    return Rows("offer", items, [
        Column("Besloten op", 23, "{{ offer.decided_on }}"),
        Column("Aanbod", 56, [*if_("offer.types", Para('{{ offer.types|join(", ") }}:', CELL)),
                              Para("{{ offer.description }}", CELL)]),
        Column("Gebeld op", 23, "{{ offer.called_on }}"),
        Column("Tevreden", 20, "{{ offer.satisfied_label }}"),
        Column(reaction_heading, 43, "{{ offer.reaction }}"),
    ], empty="Er is geen aanbod gedaan.")


def case_summary() -> Fields:
    """Return the case in one table, for the escalation letters."""
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
    """Return the contact details of the external body of an escalation letter."""
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


# --- the standard parts around every letter ------------------------------------------------------------------

def opening(letter: Letter) -> list:
    """Return place and date, the addressee, our reference, the subject and the salutation."""
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
    """Return the closing line and the handler's signature (name and function); a copy line when there is one."""
    blocks = [Para(letter.closing, BODY, space_after=30, keep_with_next=True),
              Para("**{{ handler.name }}**", TIGHT, keep_with_next=True),
              *if_("handler.function", Para("{{ handler.function }}", TIGHT, keep_with_next=True)),
              Para("namens {{ practice.name }}", TIGHT)]
    if letter.copy_to:
        blocks += [Para("", TIGHT), Para("Afschrift aan: " + letter.copy_to, SMALL)]
    return blocks


def compose(letter: Letter) -> list:
    """Return the whole letter as flat blocks: opening, body and closing."""
    body = flat(letter.body)
    last = max((index for index, block in enumerate(body) if isinstance(block, Para) and not is_tag(block)),
               default=None)
    if last is not None and last == len(body) - 1:  # the last paragraph goes along with the signature
        body[last] = dataclasses.replace(body[last], keep_with_next=True)
    return [*flat(opening(letter)), *body, *flat(closing(letter))]
