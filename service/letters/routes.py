"""Where a complainant can turn next, phrased once for every kind of commissioning client.

The facts (REGULATION.md, "Read more exactly"): the complainant MAY put the complaint to the commissioning
client; the Nationale Ombudsman handles complaints about national government bodies such as the UWV, the
municipal ombudsman (or the Nationale Ombudsman where the municipality has none) complaints about a
municipality, each only after that body dealt with the complaint itself and within a year; neither handles a
private employer or our practice. The Autoriteit Persoonsgegevens handles only complaints about the
complainant's own personal data, after the organisation was asked first. Every letter that names the routes
(final report, notice of not handling, the escalation letters) reads them from here, so they cannot disagree.
"""

from dataclasses import dataclass

from service.dutch import end_sentence, organisation

NATIONAL_OMBUDSMAN = {"name": "De Nationale Ombudsman", "address_lines": ["Postbus 93122", "2509 AC Den Haag"],
                      "website": "www.nationaleombudsman.nl"}
DATA_PROTECTION_AUTHORITY = {"name": "Autoriteit Persoonsgegevens",
                             "address_lines": ["Postbus 93374", "2509 AJ Den Haag"],
                             "website": "autoriteitpersoonsgegevens.nl"}
# Why a complaint is not taken into handling (assess_admissibility `ground`); the regulation's own case first.
GROUNDS = ("unfounded", "not_a_complaint", "outside_scope")
GROUND_LABELS = {"unfounded": "kennelijk ongegrond", "not_a_complaint": "geen klacht in de zin van het reglement",
                 "outside_scope": "valt buiten het klachtenreglement"}


@dataclass(frozen=True)
class Client:
    """The commissioning client as the letters need it."""

    kind: str
    name: str = ""
    address_lines: tuple[str, ...] = ()
    contact_person: str = ""

    @property
    def present(self) -> bool:
        return self.kind != "none" and bool(self.name)

    @property
    def in_sentence(self) -> str:
        """The client inside a sentence: "de gemeente Utrecht", "het UWV", "Bakkerij Jansen B.V."."""
        return organisation(self.name, self.kind)


def _client_route(client: Client) -> dict:
    contact = f" U kunt zich richten tot {client.contact_person}." if client.contact_person else ""
    address = f" Het adres is: {', '.join(client.address_lines)}." if client.address_lines else ""
    who = end_sentence(f"{client.in_sentence}, de opdrachtgever van uw coachings- of re-integratietraject")
    return {"route": "commissioning_client", "title": "Opdrachtgever",
            "text": f"U kunt uw klacht voorleggen aan {who}{address}{contact} Wij sturen uw dossier alleen mee als "
                    "u daarmee instemt."}


def _ombudsman_route(client: Client) -> dict | None:
    if client.kind == "uwv":
        return {"route": "ombudsman", "title": "Nationale Ombudsman",
                "text": "Bent u daarna niet tevreden over de manier waarop het UWV uw klacht heeft behandeld, dan "
                        "kunt u als laatste stap naar de Nationale Ombudsman (Postbus 93122, 2509 AC Den Haag, "
                        "www.nationaleombudsman.nl). Dat kan tot een jaar nadat het UWV uw klacht heeft "
                        "afgehandeld."}
    if client.kind == "municipality":
        body = client.in_sentence or "de gemeente"
        return {"route": "ombudsman", "title": "Ombudsman",
                "text": f"Bent u daarna niet tevreden over de manier waarop {body} uw klacht heeft behandeld, "
                        "dan kunt u als laatste stap naar de ombudsman van die gemeente; heeft de gemeente geen "
                        "eigen ombudsman, dan naar de Nationale Ombudsman (www.nationaleombudsman.nl). Op de "
                        "website van de gemeente staat welke ombudsman voor haar werkt. Dat kan tot een jaar "
                        "nadat de gemeente uw klacht heeft afgehandeld."}
    return None  # a private employer or no client: no ombudsman handles the complaint


def _data_protection_route() -> dict:
    return {"route": "data_protection_authority", "title": "Autoriteit Persoonsgegevens",
            "text": "Gaat uw klacht over het verwerken van uw eigen persoonsgegevens en bent u niet tevreden over "
                    "onze oplossing? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens, via "
                    "autoriteitpersoonsgegevens.nl. Dat kan omdat u ons met uw klacht eerst om een oplossing "
                    "heeft gevraagd."}


def next_routes(client: Client, *, concerns_personal_data: bool, ground: str | None = None) -> list[dict]:
    """Return the routes open to this complainant, in the order to take them: [{route, title, text}].

    ground is set when the complaint was not taken into handling: a message that is no complaint in the sense of
    the regulation can first be filed again as one; a complaint outside the regulation's scope goes to whoever
    it is about, so only the commissioning client is named as a further route.
    """
    routes = []
    if ground == "not_a_complaint":
        routes.append({"route": "resubmit", "title": "Opnieuw indienen",
                       "text": "Wilt u een officiële klacht indienen? Dat kan altijd. Vermeld dan dat het om een "
                               "officiële klacht gaat, met uw naam en adres, de datum en een omschrijving van wat "
                               "er volgens u niet goed is gegaan. Dan nemen wij haar volgens ons "
                               "klachtenreglement in behandeling."})
    if client.present:
        routes.append(_client_route(client))
        ombudsman = _ombudsman_route(client) if ground != "outside_scope" else None
        if ombudsman:
            routes.append(ombudsman)
    if concerns_personal_data and ground != "outside_scope":
        routes.append(_data_protection_route())
    return routes


def routes_intro(routes: list[dict], *, ground: str | None = None) -> str:
    """Return the sentence that leads into the routes, or says plainly that there is no further route."""
    if not routes:
        return ("Uw traject is niet in opdracht van een andere organisatie uitgevoerd en uw klacht gaat niet over "
                "persoonsgegevens. Er is daarom geen andere instantie waaraan u deze klacht kunt voorleggen. Neem "
                "gerust contact met ons op als u nog vragen heeft.")
    if ground is not None:
        return "Bent u het niet eens met deze beslissing? Dan kunt u het volgende doen."
    return ("Bent u niet tevreden over de manier waarop wij uw klacht hebben afgehandeld? Dan kunt u de volgende "
            "stappen zetten.")


def escalation_body(client: Client, route: str) -> dict:
    """Return the outside body of an escalation: name, what it handles, time limit, address, website, can_handle."""
    if route == "commissioning_client":
        return {"name": client.name, "address_lines": list(client.address_lines), "website": "",
                "contact_person": client.contact_person, "can_handle": client.present, "handles": "",
                "time_limit": ""}
    if route == "ombudsman":
        return _ombudsman_body(client)
    if route == "data_protection_authority":
        return {**DATA_PROTECTION_AUTHORITY, "contact_person": "", "can_handle": True,
                "handles": "klachten over het gebruik van uw eigen persoonsgegevens, nadat u de organisatie eerst "
                           "zelf om een oplossing heeft gevraagd",
                "time_limit": "zo snel mogelijk nadat u ons antwoord heeft ontvangen"}
    return {"name": "", "address_lines": [], "website": "", "contact_person": "", "can_handle": False, "handles": "",
            "time_limit": ""}


def _ombudsman_body(client: Client) -> dict:
    """The ombudsman for the case's commissioning client; a body that cannot take the case has no term."""
    if client.kind == "uwv":
        return {**NATIONAL_OMBUDSMAN, "contact_person": "", "can_handle": True,
                "handles": "klachten over overheidsinstanties zoals het UWV, nadat het UWV uw klacht zelf heeft "
                           "behandeld",
                "time_limit": "binnen een jaar nadat het UWV uw klacht heeft afgehandeld"}
    if client.kind == "municipality":
        body = client.in_sentence or "de gemeente"
        return {"name": f"De ombudsman van {body} (heeft de gemeente er geen, dan de Nationale Ombudsman)",
                "address_lines": [], "website": "", "contact_person": "", "can_handle": True,
                "handles": f"klachten over {body}, nadat de gemeente uw klacht zelf heeft behandeld; het adres "
                           "staat op de website van de gemeente",
                "time_limit": "binnen een jaar nadat de gemeente uw klacht heeft afgehandeld"}
    return {**NATIONAL_OMBUDSMAN, "contact_person": "", "can_handle": False,
            "handles": "alleen klachten over overheidsinstanties; uw traject is niet in opdracht van een "
                       "overheidsinstantie uitgevoerd, dus de ombudsman kan uw klacht niet behandelen",
            "time_limit": ""}
