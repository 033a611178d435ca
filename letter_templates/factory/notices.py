"""The texts of the notices outside the normal course: a withdrawal confirmed, a passed term explained."""

from .language import Letter, h, if_, p
from .parts import CONTACT


def bevestiging_intrekking() -> Letter:
    """Return the confirmation that the complainant withdrew the complaint: nothing more falls due."""
    return Letter("Bevestiging intrekking", [
        p("Op {{ withdrawal.withdrawn_on }} heeft u ons {{ withdrawal.channel_phrase }} laten weten dat u uw klacht "
          "van {{ complaint.dated_on }} intrekt. Met deze brief bevestigen wij dat."),
        *if_("withdrawal.reason", p("U gaf hierbij als toelichting: {{ withdrawal.reason }}")),
        h("Wat betekent dit?"),
        p("Wij behandelen uw klacht niet verder. De termijnen uit ons klachtenreglement lopen niet meer, en u "
          "ontvangt over deze klacht geen brieven meer van ons, tenzij u daar zelf om vraagt."),
        p("Wilt u de klacht toch laten behandelen, of heeft u later een nieuwe klacht? Dan kunt u opnieuw een klacht "
          "indienen. " + CONTACT),
    ], copy_to="{{ coach.name }} (betrokken coach)")


def vertragingsbericht() -> Letter:
    """Return the notice that the call-report term has passed: the reason and when the report is expected."""
    return Letter("Vertragingsbericht", [
        p("Op {{ complaint.received_on }} hebben wij uw klacht ontvangen. Volgens ons klachtenreglement had u "
          "binnen zes weken na ontvangst{% if delay.due_on %}, uiterlijk op {{ delay.due_on }},{% endif %} een "
          "schriftelijk verslag moeten ontvangen van het telefoongesprek waarin de behandelaar u een aanbod doet. "
          "Dat is ons niet gelukt. Het spijt ons dat u langer moet wachten."),
        h("De reden"),
        p("{{ delay.reason }}"),
        h("Wanneer hoort u van ons?"),
        p("Wij verwachten u uiterlijk op **{{ delay.expected_on }}** te bellen over uw klacht en u daarna het "
          "verslag van dat gesprek te sturen."),
        p("Bent u het niet eens met deze vertraging? Dan mag u uw klacht ook voorleggen aan een instantie buiten "
          "onze praktijk; wij vertellen u graag hoe. " + CONTACT),
    ], copy_to="{{ coach.name }} (betrokken coach)")
