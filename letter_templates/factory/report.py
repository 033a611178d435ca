"""The text of the documents of the practice that are not a complaint's letter: the annual complaints report."""

from .language import HEADING, SMALL, Column, Field, Fields, Para, Report, Rows, h, if_, p


def jaarverslag_klachten() -> Report:
    """Return the annual complaints report: figures, deadlines, lead times, categories, measures and effect."""
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
        p("Vastgesteld door de praktijkhouder namens {{ practice.name|end_sentence }}", space_before=12),
    ], footer="{{ practice.name }}  ·  Jaarverslag klachten {{ report.year }}")


DOCUMENTS = {"jaarverslag_klachten": jaarverslag_klachten}
