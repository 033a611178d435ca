"""The texts of the letter kinds, one function per kind, so a change to a letter is reviewed as code."""

from .language import CELL, Column, Field, Fields, Letter, Para, Rows, bullet, for_, h, if_, p, tag, value, yes_no
from .notices import bevestiging_intrekking, vertragingsbericht
from .parts import CLIENT, CONTACT, body_details, case_summary, external_routes, offers_table


def ontvangstbevestiging() -> Letter:
    """Return the acknowledgement (within 2 weeks of receipt): the complaint in short with its date, place and
    circumstances (step 3), the handling, and the term (the extended date once the term was extended)."""
    return Letter("Ontvangstbevestiging", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht ontvangen. Met deze brief bevestigen wij dat. "
          "Dank u wel dat u de moeite heeft genomen om ons te laten weten waarover u niet tevreden bent."),
        h("Uw klacht in het kort"),
        p("{{ acknowledgement.summary }}"),
        Fields([
            Field("Datum van het voorval", "{{ acknowledgement.incident_on }}", when="acknowledgement.incident_on"),
            Field("Plaats", "{{ acknowledgement.place }}", when="acknowledgement.place"),
            Field("Bijzondere omstandigheden", "{{ acknowledgement.circumstances }}",
                  when="acknowledgement.circumstances"),
            Field("Datum van uw klacht", "{{ complaint.dated_on }}"),
            Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
            Field("Betrokken coach", "{{ coach.name }}"),
        ]),
        *if_("complaint.oral",
             h("Klopt onze weergave van uw klacht?"),
             p("U heeft uw klacht mondeling bij ons ingediend. Wij hebben haar als volgt vastgelegd:"),
             p("{{ complaint.description }}"),
             p("Klopt dit niet, of ontbreekt er iets? Laat het ons dan binnen twee weken weten. Wij passen de "
               "vastlegging dan aan, zodat uw klacht wordt behandeld zoals u haar bedoelt.")),
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
        tag("if acknowledgement.extended"),
        p("De termijn voor de afhandeling van uw klacht is verlengd. Wij verwachten uw klacht uiterlijk op "
          "**{{ acknowledgement.expected_end_date }}** af te handelen. Over de reden heeft u een aparte brief "
          "van ons ontvangen."),
        tag("elif acknowledgement.expected_term_weeks"),
        p("Wij verwachten uw klacht binnen {{ acknowledgement.expected_term_weeks }} weken na ontvangst af te "
          "handelen, dus uiterlijk op {{ acknowledgement.expected_end_date }}. Lukt dat niet, dan laten wij u dat "
          "vóór die datum schriftelijk weten, met de reden en de nieuwe datum."),
        tag("else"),
        p("Wij verwachten uw klacht binnen zes weken na ontvangst af te handelen. Lukt dat niet, dan laten wij u "
          "dat op tijd schriftelijk weten, met de reden en de nieuwe datum."),
        tag("endif"),
        p("Heeft u vragen, of wilt u iets aanvullen? Neem dan contact met ons op via {{ practice.phone }} of "
          "{{ practice.email }} en vermeld ons kenmerk {{ reference }}."),
    ])


def bericht_niet_in_behandeling() -> Letter:
    """Return the notice of not handling a complaint (within 4 weeks): the ground and reasons, the open routes."""
    return Letter("Bericht niet in behandeling", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht van {{ complaint.dated_on }} ontvangen. U schreef "
          "ons het volgende:"),
        p("{{ complaint.description }}"),
        tag('if admissibility.ground == "not_a_complaint"'),
        p("Wij hebben uw bericht zorgvuldig gelezen. Het is geen klacht in de zin van ons klachtenreglement. Ons "
          "reglement verstaat onder een klacht een schriftelijke of mondelinge uiting van ongenoegen over ons "
          "handelen of nalaten, waarbij u aangeeft dat u een officiële klacht wilt indienen, met uw naam en adres, "
          "de datum en een omschrijving. Wij nemen uw bericht daarom **niet als klacht in behandeling**."),
        tag('elif admissibility.ground == "outside_scope"'),
        p("Wij hebben uw klacht zorgvuldig bekeken. Zij gaat niet over onze eigen dienstverlening en valt daarom "
          "buiten ons klachtenreglement. Wij nemen haar daarom **niet in behandeling**. Dat is geen oordeel over "
          "de vraag of u gelijk heeft."),
        tag("else"),
        p("Wij hebben uw klacht zorgvuldig bekeken. Wij vinden uw klacht **ongegrond** en nemen haar daarom "
          "**niet in behandeling**."),
        tag("endif"),
        h("Waarom nemen wij uw klacht niet in behandeling?"),
        *if_("admissibility.reason", p("{{ admissibility.reason }}")),
        *if_("unfounded.explanation", p("{{ unfounded.explanation }}")),
        h("Wat kunt u nu doen?"),
        *external_routes(),
        p(CONTACT),
    ])


def verslag_telefoongesprek() -> Letter:
    """Return the report of the offer call (within 6 weeks of receipt): the offer, the reaction, satisfied or not."""
    return Letter("Verslag telefoongesprek", [
        p("Op {{ call.called_on }} heeft {{ handler.name }} u gebeld over uw klacht van {{ complaint.dated_on }}. "
          "In dit verslag leest u wat wij in dat gesprek met u hebben besproken."),
        h("Uw klacht"),
        p("{{ acknowledgement.summary or complaint.description }}"),
        h("Het onderzoek"),
        p("De behandelaar heeft uw klacht voorgelegd aan {{ coach.name|end_sentence }}{% if "
          "investigation.coach_reaction_summary %} Samengevat was de reactie:{% endif %}"),
        *if_("investigation.coach_reaction_summary", p("{{ investigation.coach_reaction_summary }}")),
        h("{% if call.offer_made %}Het oordeel en ons aanbod{% else %}Het oordeel{% endif %}"),
        *if_("measures.founded_label", p("De behandelaar vindt uw klacht **{{ measures.founded_label }}**.")),
        *if_("measures.cause", p("Oorzaak: {{ measures.cause }}")),
        *if_("call.offer_made", p('Wij bieden u aan: {{ measures.offer_types|join(", ") }}.')),
        *if_("measures.offer_description", p("{{ measures.offer_description }}")),
        h("Uw reactie"),
        *if_("call.complainant_satisfied",
             p("U heeft in het gesprek laten weten dat u **tevreden** bent met {% if call.offer_made %}dit "
               "aanbod{% else %}deze uitkomst{% endif %}."),
             otherwise=(p("U heeft in het gesprek laten weten dat u **niet tevreden** bent met {% if "
                          "call.offer_made %}dit aanbod{% else %}deze uitkomst{% endif %}."),)),
        *if_("call.complainant_reaction", p("Uw reactie, zoals wij die hebben genoteerd: "
                                            "{{ call.complainant_reaction }}")),
        h("Hoe gaat het verder?"),
        *if_("call.complainant_satisfied",
             p("{% if call.offer_made %}Wij voeren het aanbod uit zoals afgesproken. {% endif %}Uw klacht is "
               "daarmee opgelost. Binnen twee weken ontvangt u een eindverslag."),
             otherwise=(p("De behandelaar beoordeelt nu of een nieuw intern onderzoek en/of een nieuw aanbod "
                          "nodig is. Wij nemen daarover contact met u op."),)),
        *if_("offers|length > 1", h("Eerdere voorstellen"), offers_table("offers[:-1]")),
        p("Klopt dit verslag niet, of hebben wij iets gemist? Laat het ons dan binnen twee weken weten via "
          "{{ practice.phone }} of {{ practice.email }}, met ons kenmerk {{ reference }}."),
    ])


def verlengingsbericht() -> Letter:
    """Return the extension of the 6-week term: the reason and the new date; a copy goes to the coach concerned."""
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
             p("U heeft{% if extension.consent_given_on %} op {{ extension.consent_given_on }}{% endif %}"
               "{% if extension.consent_channel_phrase %} {{ extension.consent_channel_phrase }}{% endif %} "
               "ermee ingestemd dat wij de termijn tot deze datum verlengen. Dank u wel daarvoor.")),
        p("Het spijt ons dat u langer op een oplossing moet wachten. Wij houden u op de hoogte. " + CONTACT),
    ], copy_to="{{ coach.name }} (betrokken coach)")


def eindverslag() -> Letter:
    """Return the final report (within 2 weeks of the resolution): one letter to each person involved, stating
    only what has been decided."""
    your = "{% if recipient.is_complainant %}uw{% else %}de{% endif %}"
    return Letter("Eindverslag", [
        tag("if recipient.is_complainant"),
        p("Uw klacht van {{ complaint.dated_on }} is{% if resolution.resolved_on %} op "
          "{{ resolution.resolved_on }}{% endif %} afgehandeld. In dit eindverslag leest u hoe wij uw klacht "
          "hebben behandeld en wat er is besloten."),
        tag("else"),
        p("De klacht van {{ complainant.person }} van {{ complaint.dated_on }} is{% if resolution.resolved_on %} "
          "op {{ resolution.resolved_on }}{% endif %} afgehandeld. U ontvangt dit eindverslag als "
          "{{ recipient.role_label }}. Hierin leest u hoe de klacht is behandeld en wat er is besloten."),
        tag("endif"),
        p("Dit verslag gaat naar iedereen die bij de klacht betrokken is: "
          '{{ recipients|map(attribute="label")|join(", ") }}. Ieder ontvangt een eigen exemplaar.'),
        h("De klacht"),
        Fields([
            Field("Datum van de klacht", "{{ complaint.dated_on }}"),
            Field("Ontvangen op", "{{ complaint.received_on }} ({{ complaint.channel_label }})"),
            Field("Omschrijving", "{{ complaint.description }}"),
            Field("Betrokken coach", "{{ coach.name }}"),
            Field("Behandelaar", "{{ handler.name }}{% if handler.function %}, {{ handler.function }}{% endif %}"),
        ]),
        h("Het onderzoek"),
        p("De behandelaar heeft de klacht voorgelegd aan {{ coach.name|end_sentence }}{% if "
          "investigation.coach_reaction_summary %} Samengevat was de reactie:{% endif %}"),
        *if_("investigation.coach_reaction_summary", p("{{ investigation.coach_reaction_summary }}")),
        *if_("investigation.coach_agrees", p("{{ coach.name }} is akkoord met deze samenvatting.")),
        *if_("investigation.proceeded_without_agreement",
             p("{{ coach.name }} is het niet eens met deze samenvatting. De opmerkingen van de coach: "
               "{{ investigation.coach_remarks }}"),
             p("De behandelaar heeft de klacht daarna verder behandeld zonder instemming van de coach: "
               "{{ investigation.disagreement_note }}")),
        h("Het oordeel"),
        *if_("measures.founded_label", p("De behandelaar vindt de klacht **{{ measures.founded_label }}**."
                                         "{% if measures.severity_label %} De ernst van de klacht is "
                                         "beoordeeld als {{ measures.severity_label }}.{% endif %}")),
        *if_("measures.cause", p("Oorzaak: {{ measures.cause }}")),
        h("Het aanbod en de reactie van de klager"),
        offers_table(reaction_heading="Reactie klager"),
        h("De afsluiting"),
        p('{{ resolution.resolution_summary or "Er is geen samenvatting van de afsluiting vastgelegd." }}'),
        *if_("resolution.closed_dissatisfied",
             p("{% if recipient.is_complainant %}U was{% else %}De klager was{% endif %} niet tevreden met "
               "het laatste aanbod. De behandelaar heeft de behandeling toch afgesloten, om deze reden: "
               "{{ resolution.close_reason }}")),
        h("Wat doen wij om herhaling te voorkomen?"),
        *if_("preventive.decided",
             *if_("preventive.measures_needed",
                  p("{{ preventive.measures }}"),
                  *if_("preventive.consulted", p("Hierover hebben wij overlegd met {{ preventive.consulted }}.")),
                  otherwise=(p("De behandelaar heeft beoordeeld dat er geen aanvullende maatregelen nodig zijn om "
                               "herhaling te voorkomen."),)),
             otherwise=(p("De behandelaar beoordeelt nog of er maatregelen nodig zijn om herhaling te voorkomen. "
                          "Dat besluit staat in het klachtenformulier van deze klacht."),)),
        *if_("recipient.is_complainant",
             h("Waar kunt u verder terecht?"),
             *external_routes(),
             p("Dank u wel voor de moeite die u heeft genomen. Uw klacht helpt ons onze dienstverlening te "
               "verbeteren. " + CONTACT),
             otherwise=(p(f"Heeft u vragen over {your} afhandeling? " + CONTACT.split("? ", 1)[1]),)),
    ])


def doorverwijzing_opdrachtgever() -> Letter:
    """Return the letter to the complainant on taking the complaint to the commissioning client (step 9: the
    complainant MAY do so); the case goes there only with the complainant's consent."""
    return Letter("Doorverwijzing opdrachtgever", [
        p("U heeft ons laten weten dat u uw klacht van {{ complaint.dated_on }} wilt voorleggen aan "
          "{{ " + CLIENT + ".in_sentence }}, de opdrachtgever van uw coachings- of re-integratietraject. Dat kan: "
          "ons klachtenreglement biedt u die mogelijkheid. In deze brief leest u hoe u dat doet."),
        *if_("escalation.reason", p("Uw reden, zoals wij die hebben vastgelegd: {{ escalation.reason }}")),
        h("Zo legt u uw klacht voor"),
        p("Stuur uw klacht naar de opdrachtgever. Vermeld daarin dat het om uw coachings- of re-integratietraject "
          "bij {{ practice.name }} gaat, en voeg de brieven toe die u van ons over uw klacht heeft ontvangen. Dan "
          "ziet de opdrachtgever meteen wat er al is gebeurd."),
        *body_details("Gegevens van de opdrachtgever"),
        h("Wat sturen wij zelf naar de opdrachtgever?"),
        *if_("escalation.consent_to_share",
             p("U heeft ermee ingestemd dat wij een samenvatting van uw klacht naar de opdrachtgever sturen. Dat "
               "doen wij tegelijk met deze brief; u ontvangt een kopie."),
             otherwise=(p("Niets. Zonder uw toestemming sturen wij geen gegevens over uw klacht naar de "
                          "opdrachtgever. Wilt u dat wij een samenvatting van uw klacht sturen? Laat het ons dan "
                          "weten."),)),
        h("Hoe is uw klacht bij ons verlopen?"),
        tag("if not admissibility.taken_into_handling and admissibility.ground"),
        p("Wij hebben uw klacht niet in behandeling genomen ({{ admissibility.ground_label }}). Dat hebben wij u "
          "schriftelijk laten weten."),
        tag("elif resolution.resolved_on"),
        p("Wij hebben uw klacht behandeld volgens ons klachtenreglement en op {{ resolution.resolved_on }} "
          "afgehandeld."),
        tag("else"),
        p("Wij hebben uw klacht nog niet afgehandeld. Wij behandelen haar verder volgens ons klachtenreglement."),
        tag("endif"),
        p(CONTACT),
    ])


def dossier_opdrachtgever() -> Letter:
    """Return the case summary for the commissioning client: only with the complainant's consent, only the summary."""
    return Letter("Dossier opdrachtgever", [
        p("{{ complainant.person_start }} heeft op {{ complaint.dated_on }} bij ons een klacht ingediend over het "
          "coachings- of re-integratietraject dat wij in uw opdracht uitvoeren. De klager wil de klacht aan u als "
          "opdrachtgever voorleggen en heeft ermee ingestemd dat wij u daarvoor een samenvatting sturen. Die vindt "
          "u hieronder."),
        *if_("escalation.reason", h("Waarom de klager de klacht aan u voorlegt"), p("{{ escalation.reason }}")),
        h("Samenvatting van de klacht"),
        case_summary(),
        h("Wat vragen wij van u?"),
        p("Wij vragen u de klacht te beoordelen en uw reactie rechtstreeks aan de klager te sturen. Wilt u ons "
          "laten weten hoe u de klacht afhandelt? Dan leggen wij dat vast in ons klachtendossier."),
        p("Wij sturen alleen de gegevens mee die nodig zijn om de klacht te beoordelen, met toestemming van de "
          "klager. Heeft u meer informatie nodig? Neem dan contact op met {{ handler.name }} via "
          "{{ practice.phone }} of {{ practice.email }} en vermeld ons kenmerk {{ reference }}."),
    ], copy_to="{{ complainant.name }} (klager)")


def informatie_ombudsman() -> Letter:
    """Return the ombudsman route: what it handles, phrased for the case's commissioning client; case summary."""
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
        p("Uw traject voeren wij uit in opdracht van {{ " + CLIENT + ".in_sentence|end_sentence }} De Nationale "
          "Ombudsman kan uw "
          "klacht behandelen als een klacht over het UWV. Dien uw klacht daarom eerst in bij het UWV. Bent u niet "
          "tevreden over de manier waarop het UWV uw klacht heeft behandeld, dan kunt u naar de Nationale "
          "Ombudsman."),
        tag(f'elif {CLIENT}.kind == "municipality"'),
        p("Uw traject voeren wij uit in opdracht van {{ " + CLIENT + ".in_sentence|end_sentence }} Klachten over "
          "een gemeente "
          "behandelt de ombudsman van die gemeente; heeft de gemeente geen eigen ombudsman, dan de Nationale "
          "Ombudsman. Dien uw klacht daarom eerst in bij {{ " + CLIENT + ".in_sentence|end_sentence }} Bent u niet "
          "tevreden over de "
          "manier waarop de gemeente uw klacht heeft behandeld, dan kunt u naar de ombudsman. Op de website van "
          "uw gemeente staat welke ombudsman voor uw gemeente werkt."),
        tag(f'elif {CLIENT}.kind == "employer"'),
        p("Uw traject voeren wij uit in opdracht van uw werkgever, {{ " + CLIENT + ".name|end_sentence }} De ombudsman "
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
    """Return the data-protection route: only complaints about one's own personal data, after asking us first."""
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
    """Return the standard complaints form: the whole case record as tables."""
    return Letter("Standaard klachtenformulier", [
        p("Dit formulier is het dossier van de klacht met kenmerk {{ reference }}, vastgelegd volgens het "
          "klachtenreglement van {{ practice.name|end_sentence }}"),
        h("Registratie"),
        Fields([
            Field("Kenmerk", "{{ reference }}"),
            Field("Datum van de klacht", value("complaint.dated_on")),
            Field("Ontvangen op", value("complaint.received_on")),
            Field("Wijze van indienen", value("complaint.channel_label")),
            Field("Omschrijving", value("complaint.description")),
            Field("Betreft persoonsgegevens", yes_no("complaint.concerns_personal_data")),
            Field("Opdrachtgever", "{% if " + CLIENT + ".name %}{{ " + CLIENT + ".name }}{% if " + CLIENT
                  + ".kind_label != " + CLIENT + ".name %} ({{ " + CLIENT + ".kind_label }}){% endif %}"
                  "{% else %}geen{% endif %}"),
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
            Field("Datum van het voorval", value("acknowledgement.incident_on")),
            Field("Verwachte termijn", "{% if acknowledgement.expected_term_weeks %}"
                  "{{ acknowledgement.expected_term_weeks }} weken{% if acknowledgement.expected_end_date %} "
                  "(uiterlijk {{ acknowledgement.expected_end_date }}){% endif %}{% else %}—{% endif %}"),
        ]),
        h("Ontvankelijkheid"),
        Fields([
            Field("In behandeling genomen", yes_no("admissibility.taken_into_handling")),
            Field("Grond", "{{ admissibility.ground_label }}", when="admissibility.ground"),
            Field("Reden", "{{ admissibility.reason }}", when="admissibility.reason"),
            Field("Toelichting ongegrond", "{{ unfounded.explanation }}", when="unfounded.explanation"),
        ]),
        h("Onderzoek"),
        Fields([
            Field("Reactie van de coach (samenvatting)", value("investigation.coach_reaction_summary")),
            Field("Coach akkoord met de samenvatting", yes_no("investigation.coach_agrees")),
            Field("Opmerkingen van de coach", "{{ investigation.coach_remarks }}",
                  when="investigation.coach_remarks"),
            Field("Verder zonder instemming van de coach", "{{ investigation.disagreement_note }}",
                  when="investigation.proceeded_without_agreement"),
        ]),
        h("Beslissing en maatregelen"),
        Fields([
            Field("Oordeel", value("measures.founded_label")),
            Field("Ernst", value("measures.severity_label")),
            Field("Oorzaak", value("measures.cause")),
            Field("Persoon op wie de klacht betrekking heeft", value("measures.person_concerned")),
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
            Column("Instemming klager", 22, yes_no("item.complainant_consent")
                   + "{% if item.consent_given_on %} ({{ item.consent_given_on }}){% endif %}"),
        ], empty="De termijn is niet verlengd."),
        h("Oplossing en eindverslag"),
        Fields([
            Field("Opgelost op", value("resolution.resolved_on")),
            Field("Samenvatting van de oplossing", value("resolution.resolution_summary")),
            Field("Afgesloten terwijl de klager niet tevreden was", "{{ resolution.close_reason }}",
                  when="resolution.closed_dissatisfied"),
            Field("Afgehandeld wat is afgesproken", "{{ carried_out.on }}: {{ carried_out.description }}",
                  when="carried_out.on"),
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
            Column("Reden", 57, "{{ item.reason }}{% if item.consent_to_share %} (samenvatting gedeeld met "
                   "toestemming van de klager){% endif %}"),
        ], empty="De klacht is niet verder voorgelegd."),
        h("Bijlagen"),
        *if_("complaint.written_complaint_missing",
             p("**Let op:** de schriftelijke klacht is nog niet als bijlage bij dit formulier gevoegd.")),
        Rows("item", "attachments", [
            Column("Bestand", 110, "{{ item.filename }}"),
            Column("Toegevoegd op", 55, "{{ item.uploaded_on }}"),
        ], empty="Er zijn geen bijlagen."),
        h("Brieven"),
        Rows("item", "sent_letters", [
            Column("Brief", 60, "{{ item.label }}"),
            Column("Aan", 60, "{{ item.recipient }}"),
            Column("Gemaakt op", 45, "{{ item.on }}"),
        ], empty="Er zijn nog geen brieven gemaakt."),
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


# The letter kinds of CONTRACT.md, in the order build writes them; service/letters.py KINDS must match.
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
    "bevestiging_intrekking": bevestiging_intrekking,
    "vertragingsbericht": vertragingsbericht,
    "dossier_opdrachtgever": dossier_opdrachtgever,
}
