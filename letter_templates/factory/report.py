"""The text of the documents of the practice that are not a complaint's letter: the annual complaints report.

The report is read by the practice and by a quality auditor: every figure has one basis (the complaints received
in the year) that is defined before it is used, the year stands beside the year before, each table appears once
and is not split over two pages, and the report ends with the practice's conclusions and its signature block.
"""

from .language import HEADING, SMALL, Column, Para, Report, Rows, bullet, for_, h, if_, p

MONTH_COLUMNS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
RED = "B01E1E"


def _introduction() -> list:
    return [
        h("Inleiding"),
        p("Dit verslag legt verantwoording af over de klachten die {{ practice.name }} in {{ report.year }} heeft "
          "ontvangen en over de wijze waarop die volgens het klachtenreglement zijn behandeld. Het verslag is "
          "onderdeel van het kwaliteitsbeleid van de praktijk (stap 8 van het reglement: de analyse van de "
          "klachten). Het bevat geen namen van klagers of andere betrokkenen; een klacht wordt hooguit met haar "
          "kenmerk genoemd."),
        p("Het klachtenreglement belooft de klager het volgende:", keep_with_next=True),
        bullet("Een onafhankelijke behandelaar, erkend lid van NOLOC, behandelt de klacht; nooit de coach over "
               "wie de klacht gaat."),
        bullet("Binnen **twee weken** na ontvangst van de klacht ontvangt de klager een schriftelijke "
               "ontvangstbevestiging."),
        bullet("Is de klacht ongegrond of wordt zij niet in behandeling genomen, dan ontvangt de klager daarvan "
               "binnen **vier weken** na ontvangst schriftelijk bericht."),
        bullet("De behandelaar bespreekt de oplossing telefonisch met de klager. Het schriftelijke verslag van dat "
               "gesprek ontvangt de klager binnen **zes weken** na ontvangst van de klacht. Deze termijn kan met "
               "opgave van redenen worden verlengd; de klager ontvangt daarvan schriftelijk bericht."),
        bullet("Binnen **twee weken** nadat de klacht is opgelost, ontvangen alle betrokkenen een eindverslag."),
        bullet("Is de klager niet tevreden, dan kan de klager de klacht voorleggen aan de opdrachtgever "
               "(werkgever, UWV of gemeente) en in laatste instantie aan de Nationale Ombudsman of de gemeentelijke "
               "ombudsman. Een klacht over persoonsgegevens kan worden voorgelegd aan de Autoriteit "
               "Persoonsgegevens."),
        p("Hierna volgt hoe de praktijk deze afspraken in {{ report.year }} heeft nagekomen, in vergelijking met "
          "{{ report.previous_year }}, en welke conclusies de praktijk daaraan verbindt.", space_before=6),
    ]


def _definitions() -> list:
    return [
        h("Hoe de cijfers zijn geteld"),
        p("Alle cijfers gaan over de klachten die in {{ report.year }} zijn ontvangen, tenzij anders vermeld. "
          "Afgesloten en open klachten zijn geteld op {{ report.as_of }}; uitkomsten, termijnen, doorlooptijden, "
          "tevredenheid, verlengingen en externe instanties omvatten alles wat tot de opmaak van dit verslag "
          "({{ report.made_on }}) met deze klachten is gebeurd. De cijfers van {{ report.previous_year }} zijn op "
          "dezelfde wijze en op dezelfde dag berekend; zij kunnen daardoor afwijken van het jaarverslag over "
          "{{ report.previous_year }}.", keep_with_next=True),
        bullet("**Ontvangen**: klachten met een ontvangstdatum in {{ report.year }} (1 januari tot en met "
               "31 december)."),
        bullet("**Afgesloten**: ontvangen klachten waarvan het dossier uiterlijk op {{ report.as_of }} is gesloten."),
        bullet("**Open**: ontvangen klachten die op {{ report.as_of }} niet waren afgesloten of ingetrokken; hun "
               "leeftijd is het aantal dagen sinds de ontvangst."),
        bullet("**Gegrond**, **deels gegrond** en **ongegrond**: het oordeel van de behandelaar over de klacht; deze "
               "uitkomsten worden overal apart geteld."),
        bullet("**Termijn gehaald**: de stap is uiterlijk op de laatste dag van de termijn gezet; een termijn telt "
               "mee zodra hij is gehaald of verstreken."),
        bullet("**Mediaan**: de helft van de klachten had minder dagen nodig, de andere helft meer."),
        bullet("**90% binnen**: negen van de tien klachten waren binnen dit aantal dagen zover."),
        bullet("**Tevreden**: het deel van de klachten met een telefoongesprek over de oplossing waarin de klager "
               "na het laatste gesprek tevreden was."),
        bullet("**Verlengd**: klachten waarvan de termijn voor het verslag van het telefoongesprek met opgave van "
               "redenen is verlengd."),
        bullet("**Voorgelegd aan een externe instantie**: klachten die de klager heeft voorgelegd aan de "
               "opdrachtgever, een ombudsman of de Autoriteit Persoonsgegevens; een klacht die aan meer dan één "
               "instantie is voorgelegd, telt één keer."),
    ]


def _key_figures() -> list:
    return [
        h("Kerncijfers {{ report.year }}, vergeleken met {{ report.previous_year }}"),
        Rows("row", "comparison", [
            Column("Kerncijfer", 95, "{{ row.label }}"),
            Column("{{ report.previous_year }}", 35, "{{ row.previous }}"),
            Column("{{ report.year }}", 35, "{{ row.current }}"),
        ], empty="Er zijn geen cijfers.", keep_together=True),
        *if_("summary.closed_from_earlier",
             p("Daarnaast {{ 'is' if summary.closed_from_earlier == 1 else 'zijn' }} "
               "{{ summary.closed_from_earlier }} {{ 'klacht' if summary.closed_from_earlier == 1 else 'klachten' }} "
               "uit eerdere jaren in {{ report.year }} afgesloten; "
               "{{ 'die telt' if summary.closed_from_earlier == 1 else 'die tellen' }} in dit verslag verder niet "
               "mee."),
             otherwise=(p("In {{ report.year }} is geen klacht uit eerdere jaren afgesloten."),)),
        *if_("summary.open_at_end.count",
             p("Op {{ report.as_of }} {{ 'was' if summary.open_at_end.count == 1 else 'waren' }} "
               "{{ summary.open_at_end.count }} {{ 'klacht' if summary.open_at_end.count == 1 else 'klachten' }} "
               "van {{ report.year }} nog open. De mediane leeftijd was {{ summary.open_at_end.median_label }} "
               "dagen; de oudste open klacht was {{ summary.open_at_end.oldest_label }} dagen oud."),
             otherwise=(p("Op {{ report.as_of }} was geen klacht van {{ report.year }} meer open."),)),
        *if_("summary.extensions.complaints",
             p("Bij {{ summary.extensions.complaints }} "
               "{{ 'klacht' if summary.extensions.complaints == 1 else 'klachten' }} van {{ report.year }} is de "
               "termijn voor het verslag van het telefoongesprek verlengd, in totaal "
               "{{ summary.extensions.count }} keer. Bij elke verlenging is de reden vastgelegd en is de klager "
               "schriftelijk bericht met een verlengingsbericht."),
             otherwise=(p("Bij geen enkele klacht van {{ report.year }} is een termijn verlengd."),)),
    ]


def _outcomes_and_deadlines() -> list:
    return [
        h("Uitkomsten"),
        p("De uitkomst van elke klacht van {{ report.year }}, zoals die bij de opmaak van dit verslag was "
          "vastgelegd.", keep_with_next=True),
        Rows("outcome", "outcomes", [
            Column("Uitkomst", 115, "{{ outcome.label }}"),
            Column("Aantal", 50, "{{ outcome.count }}"),
        ], empty="Er zijn in dit jaar geen klachten ontvangen.", keep_together=True),
        h("Termijnen"),
        p("Per termijn van het reglement: hoeveel termijnen zijn afgelopen (gehaald of verstreken) en hoeveel "
          "daarvan zijn gehaald.", keep_with_next=True),
        Rows("deadline", "deadlines", [
            Column("Termijn", 75, "{{ deadline.label }}"),
            Column("Afgelopen", 28, "{{ deadline.decided }}"),
            Column("Gehaald", 28, "{{ deadline.on_time }}"),
            Column("Termijn gehaald", 34, "{{ deadline.share_label }}"),
        ], empty="Er is in dit jaar geen termijn afgelopen.", keep_together=True),
        h("Doorlooptijden"),
        p("Het aantal kalenderdagen vanaf de ontvangst van de klacht, over de klachten van {{ report.year }} die de "
          "stap hebben bereikt.", keep_with_next=True),
        Rows("lead", "lead_times", [
            Column("Van ontvangst tot", 67, "{{ lead.label }}"),
            Column("Klachten", 28, "{{ lead.count }}"),
            Column("Mediaan (dagen)", 35, "{{ lead.median_label }}"),
            Column("90% binnen (dagen)", 35, "{{ lead.p90_label }}"),
        ], empty="Er zijn geen doorlooptijden te berekenen.", keep_together=True),
    ]


def _per_month_and_category() -> list:
    return [
        h("Klachten per maand"),
        p("{{ images.by_month }}", space_after=2, keep_with_next=True),
        Para("Figuur 1. Ontvangen klachten per maand in {{ report.year }}.", SMALL, keep_with_next=True),
        Rows("row", "month_table", [
            Column("", 21, "{{ row.label }}"),
            *[Column(name, 10.5, "{{ row.months[" + str(index) + "] }}") for index, name in enumerate(MONTH_COLUMNS)],
            Column("Totaal", 18, "{{ row.total }}"),
        ], empty="Er zijn geen klachten ontvangen.", keep_together=True),
        h("Klachten per categorie"),
        *if_("per_category",
             p("{{ images.per_category }}", space_after=2, keep_with_next=True),
             Para("Figuur 2. Ontvangen klachten per categorie in {{ report.year }}.", SMALL, keep_with_next=True)),
        Rows("row", "per_category", [
            Column("Categorie", 38, "{{ row.category }}"),
            Column("Ontvangen", 22, "{{ row.received }}"),
            Column("Gegrond", 19, "{{ row.founded }}"),
            Column("Deels gegrond", 21, "{{ row.partly_founded }}"),
            Column("Ongegrond", 22, "{{ row.unfounded }}"),
            Column("Niet in behandeling", 25, "{{ row.not_taken_into_handling }}"),
            Column("Overig", 18, "{{ row.other }}"),
        ], empty="Er zijn in dit jaar geen klachten ontvangen.", keep_together=True),
        *if_("per_category", Para("Overig: vroegtijdig opgelost, ingetrokken, of (nog) zonder uitkomst.", SMALL)),
    ]


def _measures_and_escalations() -> list:
    return [
        h("Preventieve maatregelen en hun effect"),
        p("Per maatregel die de behandelaar heeft vastgelegd om herhaling te voorkomen (stap 7 van het reglement) "
          "staat of daarna opnieuw een klacht in dezelfde categorie is ontvangen, geteld tot de opmaak van dit "
          "verslag. Zonder nieuwe klacht geldt een maatregel pas als geslaagd wanneer hij op {{ report.as_of }} "
          "ten minste {{ report.recurrence_months }} maanden oud was; een jongere maatregel is te kort geleden om "
          "te beoordelen.", keep_with_next=True),
        Rows("measure", "measures", [
            Column("Vastgelegd op", 24, "{{ measure.recorded_on }}"),
            Column("Klacht", 25, "{{ measure.reference }}"),
            Column("Categorie", 29, "{{ measure.category }}"),
            Column("Maatregel", 49, "{{ measure.text }}"),
            Column("Beoordeling", 38, "{{ measure.verdict_label }}"),
        ], empty="Bij de klachten van dit jaar zijn geen preventieve maatregelen vastgelegd.", keep_together=True),
        h("Externe instanties"),
        *if_("summary.escalated_complaints",
             p("{{ summary.escalated_complaints }} {{ 'klacht' if summary.escalated_complaints == 1 else 'klachten' }}"
               " van {{ report.year }} {{ 'is' if summary.escalated_complaints == 1 else 'zijn' }} door de klager "
               "voorgelegd aan een externe instantie. Een klacht kan aan meer dan één instantie zijn voorgelegd; de "
               "tabel telt per instantie.", keep_with_next=True),
             Rows("escalation", "escalations", [
                 Column("Instantie", 115, "{{ escalation.label }}"),
                 Column("Aantal keer voorgelegd", 50, "{{ escalation.count }}"),
             ], empty="Geen.", keep_together=True),
             otherwise=(p("Geen klager heeft een klacht van {{ report.year }} aan een externe instantie "
                          "voorgelegd."),)),
    ]


def _conclusions_and_signature() -> list:
    return [
        h("Conclusies en acties van de praktijk"),
        *if_("conclusions.last",
             *for_("paragraph in conclusions.paragraphs", p("{{ paragraph }}")),
             p("{{ conclusions.last }}", keep_with_next=True),
             otherwise=(p("Nog geen conclusies vastgelegd.", keep_with_next=True, color=RED),)),
        Para("Vaststelling", HEADING),
        p("Vastgesteld te {{ signature.place }}, {{ signature.date }}.", keep_with_next=True),
        p("Handtekening:", space_before=12, space_after=30, keep_with_next=True),
        p("_______________________________________", space_after=2, keep_with_next=True),
        p("**{{ signature.name }}**", space_after=0, keep_with_next=True),
        p("{{ signature.function }}, namens {{ practice.name|end_sentence }}"),
    ]


def jaarverslag_klachten() -> Report:
    """Return the annual complaints report: introduction, definitions, key figures beside the year before,
    outcomes, deadlines, lead times, months, categories, measures and their effect, escalations, conclusions,
    and the signature block."""
    return Report("Jaarverslag klachten", [
        Para("Jaarverslag klachten {{ report.year }}", HEADING, space_before=0),
        p("{{ practice.name }}  ·  {{ report.status_line }}"),
        *if_("report.draft",
             p("**CONCEPT** – dit verslag is nog niet vastgesteld. De cijfers en de tekst kunnen nog veranderen "
               "tot de praktijk het verslag definitief maakt.", color=RED)),
        *_introduction(),
        *_definitions(),
        *_key_figures(),
        *_outcomes_and_deadlines(),
        *_per_month_and_category(),
        *_measures_and_escalations(),
        *_conclusions_and_signature(),
    ], footer="{{ practice.name }}  ·  Jaarverslag klachten {{ report.year }}{{ report.footer_mark }}")


DOCUMENTS = {"jaarverslag_klachten": jaarverslag_klachten}
