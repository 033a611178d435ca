"""Texts shared by the letters: the opening and closing around every letter and passages several letters repeat."""

import dataclasses

from .language import BODY, CELL, SMALL, TIGHT, Column, Field, Fields, Letter, Para, Rows, flat, for_, h, if_, is_tag, p

LETTER_FOOTER = "{{ practice.name }}  ·  Ons kenmerk {{ reference }}"  # left of "pagina N van M"
CLIENT = "complaint.commissioning_client"
CONTACT = ("Heeft u vragen over deze brief? Neem dan contact met ons op via {{ practice.phone }} of "
           "{{ practice.email }} en vermeld ons kenmerk {{ reference }}.")


# --- parts shared by several letters ----------------------------------------------------------------------

def external_routes() -> list:
    """Return where the complainant can turn next: one text per kind of commissioning client, made by the service
    (service/letters/routes.py), so every letter that names the routes names the same ones."""
    return [p("{{ routes_intro }}"), *for_("route in routes", p("**{{ route.title }}.** {{ route.text }}"))]


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
        Field("Opdrachtgever", "{{ " + CLIENT + ".name }}{% if " + CLIENT + ".kind_label != " + CLIENT
              + ".name %} ({{ " + CLIENT + ".kind_label }}){% endif %}", when=f"{CLIENT}.name"),
        Field("Betrokken coach", "{{ coach.name }}"),
        Field("Datum van het voorval", "{{ acknowledgement.incident_on }}", when="acknowledgement.incident_on"),
        Field("Datum van de klacht", "{{ complaint.dated_on }}"),
        Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
        Field("Omschrijving", "{{ complaint.description }}"),
        Field("Behandelaar", "{{ handler.name }}{% if handler.function %}, {{ handler.function }}{% endif %}",
              when="handler.name"),
        Field("Niet in behandeling genomen", "{{ admissibility.ground_label|capitalize }}. {{ admissibility.reason }}"
              "{% if unfounded.explanation %} {{ unfounded.explanation }}{% endif %}",
              when="admissibility.ground"),
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
            Field("Contactpersoon", "{{ escalation.body.contact_person }}", when="escalation.body.contact_person"),
            Field("Behandelt", "{{ escalation.body.handles }}", when="escalation.body.handles"),
            Field("Termijn", "{{ escalation.body.time_limit }}",
                  when="escalation.body.can_handle and escalation.body.time_limit"),
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
