"""Sample letter contexts: tests, the letter previews and the benchmark fill every template with them."""

import copy

from service.letters.render import KINDS, LetterError
from service.letters.routes import Client, escalation_body, next_routes, routes_intro

_COMPLAINANT = {
    "name": "Zoë Ölçer",
    "address_lines": ["Kastanjelaan 7", "9999 XA Voorbeeldstad"],
    "email": "z.olcer@voorbeeld.example",
    "phone": "06 00 00 00 01",
    "person": "mevrouw Z. Ölçer",
    "person_start": "Mevrouw Z. Ölçer",
}
_CLIENT_ADDRESS = ["Afdeling Werk & Inkomen", "Postbus 99999", "9999 ZZ Voorbeeldstad"]
_SAMPLE_CLIENT = Client("municipality", "Gemeente Voorbeeldstad", tuple(_CLIENT_ADDRESS), "mevrouw J. Voorbeeld")
_CLIENT = {"kind": "municipality", "kind_label": "gemeente", "name": _SAMPLE_CLIENT.name,
           "in_sentence": _SAMPLE_CLIENT.in_sentence, "in_sentence_start": "De gemeente Voorbeeldstad",
           "address_lines": list(_CLIENT_ADDRESS), "contact_person": _SAMPLE_CLIENT.contact_person}
_ROUTES = next_routes(_SAMPLE_CLIENT, concerns_personal_data=True)

# One complete, fictional case: every key the templates may read, as the context builder gives it.
SAMPLE_CONTEXT: dict = {
    "practice": {
        "name": "MVZLoopbaancoaching",
        "address_lines": ["Voorbeeldlaan 12", "9999 AB Voorbeeldstad"],
        "phone": "06 00 00 00 00",
        "email": "info@mvzloopbaancoaching.example",
        "website": "www.mvzloopbaancoaching.example",
        "place": "Voorbeeldstad",
    },
    "letter": {"kind": "ontvangstbevestiging", "date": "10 maart 2026", "place": "Voorbeeldstad",
               "subject": "Ontvangstbevestiging van uw klacht"},
    "reference": "KL-2026-0007",
    "addressee": {"name": _COMPLAINANT["name"], "address_lines": list(_COMPLAINANT["address_lines"]),
                  "salutation": "Geachte mevrouw Ölçer,"},
    "complainant": _COMPLAINANT,
    "complaint": {
        "dated_on": "2 maart 2026",
        "received_on": "3 maart 2026",
        "channel_label": "schriftelijk",
        "description": "Mijn coach heeft de tussenrapportage over mijn re-integratietraject naar de gemeente "
                       "gestuurd zonder die eerst met mij te bespreken. Daarin stonden persoonlijke "
                       "omstandigheden die ik in vertrouwen had verteld.\nDaarnaast zijn twee afspraken "
                       "op het laatste moment afgezegd.",
        "concerns_personal_data": True,
        "commissioning_client": _CLIENT,
        "oral": False,
        "written_complaint_missing": False,
    },
    "coach": {"name": "Pieter Jansen"},
    "handler": {"name": "Anna de Vries", "function": "Loopbaanadviseur, erkend lid van NOLOC"},
    "acknowledgement": {
        "summary": "U bent niet tevreden over de tussenrapportage van 20 februari 2026: die is naar de gemeente "
                   "gestuurd zonder dat u de inhoud eerst kon zien. Ook zijn twee afspraken kort van tevoren "
                   "afgezegd.",
        "place": "Praktijkruimte Voorbeeldlaan 12, Voorbeeldstad",
        "circumstances": "U was in die periode aan het verhuizen en daardoor slecht bereikbaar.",
        "expected_term_weeks": "6",
        "expected_end_date": "14 april 2026",
        "extended": False,
        "incident_on": "20 februari 2026",
    },
    "admissibility": {"taken_into_handling": True, "reason": "", "ground": "", "ground_label": ""},
    "unfounded": {"explanation": ""},
    "investigation": {
        "coach_reaction_summary": "De coach erkent dat hij de rapportage heeft verstuurd zonder die eerst met "
                                  "mevrouw Ölçer te bespreken, omdat de gemeente om spoed vroeg. De afspraken "
                                  "zijn afgezegd door een dubbele boeking in zijn agenda.",
        "coach_agrees": True,
        "proceeded_without_agreement": False,
        "disagreement_note": "",
        "coach_remarks": "",
    },
    "measures": {
        "founded": True,
        "partly_founded": False,
        "founded_label": "gegrond",
        "person_concerned": "Mevrouw Ölçer, in een re-integratietraject in opdracht van de gemeente.",
        "offer_types": ["correctie", "vervangende dienst"],
        "offer_description": "De rapportage wordt samen met u herzien en opnieuw naar de gemeente gestuurd. "
                             "U rondt het traject af bij een andere coach, zonder extra kosten.",
        "severity_label": "middel",
        "cause": "Er was geen vaste afspraak dat de klant een rapportage eerst ziet; de agenda werd niet "
                 "dubbel gecontroleerd.",
    },
    "offers": [
        {"decided_on": "20 maart 2026", "description": "Een gesprek met de coach om de rapportage te herzien en "
                                                       "twee extra sessies zonder kosten.",
         "types": ["correctie", "compensatie of schadevergoeding"], "called_on": "23 maart 2026",
         "satisfied_label": "nee", "reaction": "Mevrouw Ölçer wil het traject niet met dezelfde coach voortzetten."},
        {"decided_on": "8 april 2026", "description": "De rapportage wordt samen met u herzien en opnieuw naar de "
                                                      "gemeente gestuurd. U rondt het traject af bij een andere "
                                                      "coach, zonder extra kosten.",
         "types": ["correctie", "vervangende dienst"], "called_on": "21 april 2026", "satisfied_label": "ja",
         "reaction": "Mevrouw Ölçer is tevreden met deze oplossing."},
    ],
    "call": {"called_on": "21 april 2026", "complainant_satisfied": True,
             "complainant_reaction": "Mevrouw Ölçer is tevreden met deze oplossing.", "offer_made": True},
    "extension": {
        "reason": "Voor een nieuw aanbod hebben wij overleg nodig met een andere coach en met de gemeente als "
                  "opdrachtgever. Dat overleg kan pas na 14 april plaatsvinden.",
        "previous_due_on": "14 april 2026",
        "new_due_on": "28 april 2026",
        "complainant_consent": False,
        "consent_given_on": "",
        "consent_channel_phrase": "",
    },
    "extensions": [
        {"on": "10 april 2026", "previous_due_on": "14 april 2026", "new_due_on": "28 april 2026",
         "reason": "Voor een nieuw aanbod hebben wij overleg nodig met een andere coach en met de gemeente als "
                   "opdrachtgever. Dat overleg kan pas na 14 april plaatsvinden.",
         "complainant_consent": False, "consent_given_on": ""},
    ],
    "resolution": {"resolved_on": "24 april 2026",
                   "resolution_summary": "De herziene rapportage is op 23 april 2026 naar de gemeente gestuurd. "
                                         "Mevrouw Ölçer rondt haar traject af bij coach Fatima el Idrissi.",
                   "closed_dissatisfied": False, "close_reason": ""},
    "preventive": {"decided": True, "measures_needed": True,
                   "measures": "Elke rapportage aan een opdrachtgever wordt eerst met de klant besproken. "
                               "Afspraken worden in één gedeelde agenda gepland en dubbel gecontroleerd.",
                   "consulted": "Pieter Jansen (coach) en de praktijkhouder"},
    "escalation": {
        "route": "commissioning_client",
        "route_label": "Opdrachtgever",
        "reason": "Mevrouw Ölçer wil dat de gemeente beoordeelt of de eerste rapportage uit haar dossier "
                  "wordt verwijderd.",
        "consent_to_share": True,
        "body": escalation_body(_SAMPLE_CLIENT, "commissioning_client"),
    },
    "escalations": [
        {"on": "12 mei 2026", "route_label": "Opdrachtgever", "body_name": _CLIENT["name"],
         "reason": "Mevrouw Ölçer wil dat de gemeente beoordeelt of de eerste rapportage uit haar dossier "
                   "wordt verwijderd.", "consent_to_share": True},
    ],
    "carried_out": {"on": "28 april 2026", "description": "De herziene rapportage is verstuurd en de nieuwe coach "
                                                          "is aangewezen."},
    "recipient": {"role": "complainant", "role_label": "klager", "name": _COMPLAINANT["name"],
                  "is_complainant": True},
    "recipients": [],
    "routes": _ROUTES,
    "routes_intro": routes_intro(_ROUTES),
    "attachments": [{"filename": "klacht-2-maart-2026.pdf", "uploaded_on": "3 maart 2026"}],
    "sent_letters": [
        {"label": "Ontvangstbevestiging", "recipient": "Zoë Ölçer (klager)", "on": "10 maart 2026"},
        {"label": "Eindverslag", "recipient": "Zoë Ölçer (klager)", "on": "30 april 2026"},
        {"label": "Eindverslag", "recipient": "Pieter Jansen (betrokken coach)", "on": "30 april 2026"},
    ],
    "deadlines": [
        {"label": "Ontvangstbevestiging", "due_on": "17 maart 2026", "met_on": "10 maart 2026",
         "status_label": "gehaald"},
        {"label": "Verslag telefoongesprek", "due_on": "28 april 2026", "met_on": "22 april 2026",
         "status_label": "gehaald"},
        {"label": "Eindverslag", "due_on": "8 mei 2026", "met_on": "30 april 2026", "status_label": "gehaald"},
    ],
    "withdrawal": {"withdrawn_on": "", "channel_phrase": "", "reason": ""},
    "delay": {"reason": "", "expected_on": "", "due_on": ""},
    "delay_notices": [],
    "history": [
        {"at": "3 maart 2026 om 10:12", "actor": "praktijk", "text": "Geregistreerd"},
        {"at": "3 maart 2026 om 10:14", "actor": "praktijk", "text": "Bijlage toegevoegd: klacht-2-maart-2026.pdf"},
        {"at": "4 maart 2026 om 09:30", "actor": "praktijk", "text": "Taak afgerond: Behandelaar aanwijzen"},
        {"at": "10 maart 2026 om 11:05", "actor": "behandelaar",
         "text": "Taak afgerond: Ontvangstbevestiging versturen"},
        {"at": "20 maart 2026 om 15:40", "actor": "behandelaar", "text": "Taak afgerond: Maatregelen bepalen"},
        {"at": "23 maart 2026 om 14:00", "actor": "behandelaar", "text": "Taak afgerond: Aanbod telefonisch doen"},
        {"at": "7 april 2026 om 09:15", "actor": "behandelaar",
         "text": "Termijn verlengd: Verslag telefoongesprek van 14 april 2026 naar 28 april 2026"},
        {"at": "21 april 2026 om 16:20", "actor": "behandelaar", "text": "Taak afgerond: Aanbod telefonisch doen"},
        {"at": "24 april 2026 om 10:00", "actor": "behandelaar", "text": "Status gewijzigd: open → afgehandeld"},
        {"at": "6 mei 2026 om 13:45", "actor": "praktijk", "text": "Geëscaleerd: Opdrachtgever"},
    ],
}

# What differs per kind in the sample: the addressee, the subject, the date, and the facts the kind is about.
_SAMPLE_BY_KIND: dict[str, dict] = {
    "ontvangstbevestiging": {"letter": {"date": "10 maart 2026", "subject": "Ontvangstbevestiging van uw klacht"}},
    "bericht_niet_in_behandeling": {
        "letter": {"date": "24 maart 2026", "subject": "Uw klacht wordt niet in behandeling genomen"},
        "admissibility": {"taken_into_handling": False, "ground": "unfounded", "ground_label": "kennelijk ongegrond",
                          "reason": "De klacht is ongegrond: de gedragingen waarover u klaagt, hebben niet "
                                    "plaatsgevonden zoals u ze beschrijft."},
        "unfounded": {"explanation": "Uit het dossier blijkt dat u op 16 februari 2026 schriftelijk heeft "
                                     "ingestemd met het versturen van de tussenrapportage aan de gemeente. De twee "
                                     "afspraken zijn op uw eigen verzoek verzet (e-mails van 9 en 18 februari "
                                     "2026)."},
    },
    "verslag_telefoongesprek": {
        "letter": {"date": "22 april 2026", "subject": "Verslag van ons telefoongesprek over uw klacht"}},
    "verlengingsbericht": {
        "letter": {"date": "7 april 2026",
                   "subject": "Verlenging van de termijn voor de afhandeling van uw klacht"}},
    "eindverslag": {"letter": {"date": "30 april 2026", "subject": "Eindverslag van de afhandeling van uw klacht"},
                    "recipients": [{"role_label": "klager", "name": _COMPLAINANT["name"],
                                    "label": f"{_COMPLAINANT['name']} (klager)"},
                                   {"role_label": "betrokken coach", "name": "Pieter Jansen",
                                    "label": "Pieter Jansen (betrokken coach)"}]},
    "doorverwijzing_opdrachtgever": {
        "letter": {"date": "6 mei 2026", "subject": "Uw klacht voorleggen aan de opdrachtgever"}},
    "dossier_opdrachtgever": {
        "letter": {"date": "6 mei 2026", "subject": "Klacht over een traject in uw opdracht"},
        "addressee": {"name": _CLIENT["name"],
                      "address_lines": ["t.a.v. mevrouw J. Voorbeeld", *_CLIENT_ADDRESS],
                      "salutation": "Geachte mevrouw Voorbeeld,"},
        "recipient": {"role": "commissioning_client", "role_label": "opdrachtgever", "name": _CLIENT["name"],
                      "is_complainant": False},
    },
    "informatie_ombudsman": {
        "letter": {"date": "6 mei 2026", "subject": "Uw klacht voorleggen aan de ombudsman"},
        "escalation": {"route": "ombudsman", "route_label": "Nationale of gemeentelijke ombudsman",
                       "body": escalation_body(_SAMPLE_CLIENT, "ombudsman")},
    },
    "informatie_autoriteit_persoonsgegevens": {
        "letter": {"date": "6 mei 2026", "subject": "Uw klacht voorleggen aan de Autoriteit Persoonsgegevens"},
        "escalation": {"route": "data_protection_authority", "route_label": "Autoriteit Persoonsgegevens",
                       "reason": "Mevrouw Ölçer wil dat de eerste rapportage uit haar dossier bij de gemeente "
                                 "wordt verwijderd.",
                       "body": escalation_body(_SAMPLE_CLIENT, "data_protection_authority")},
    },
    "klachtenformulier": {"letter": {"date": "8 mei 2026", "subject": "Standaard klachtenformulier"}},
    "bevestiging_intrekking": {
        "letter": {"date": "13 maart 2026", "subject": "Bevestiging van de intrekking van uw klacht"},
        "withdrawal": {"withdrawn_on": "12 maart 2026", "channel_phrase": "schriftelijk",
                       "reason": "Het probleem is in een gesprek met de coach opgelost."},
    },
    "vertragingsbericht": {
        "letter": {"date": "29 april 2026", "subject": "Vertraging in de afhandeling van uw klacht"},
        "delay": {"reason": "De behandelaar was door ziekte drie weken afwezig; de coach kon pas op 27 april "
                            "worden gehoord.",
                  "expected_on": "8 mei 2026", "due_on": "28 april 2026"},
    },
}


def sample_context(kind: str) -> dict:
    """Return a deep copy of SAMPLE_CONTEXT adapted to one letter kind (addressee, subject, date, facts)."""
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}; known kinds: {', '.join(KINDS)}")
    context = copy.deepcopy(SAMPLE_CONTEXT)
    for key, changes in _SAMPLE_BY_KIND[kind].items():
        context[key] = {**context[key], **copy.deepcopy(changes)} if isinstance(changes, dict) \
            else copy.deepcopy(changes)
    context["letter"]["kind"] = kind
    return context
