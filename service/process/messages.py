"""Problems found in a diagram, as values, and their messages in English (CLI, logs) and Dutch (people).

Every message lives in the table below, one row per code. A problem names its element; the label
`id (name)` starts most messages in both languages, so a modeler can find the element either way. A detail
from the expression checker is put in Dutch sentence by sentence (`dutch_detail`); what no rule knows (a
parser's message) is shown as a technical note, never as the Dutch sentence itself.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# code -> (English, Dutch). Placeholders: {label} (the element, or "diagram"), and the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "parse": ("{text}", "Het bestand is geen geldig BPMN-diagram: {text}"),
    "unsafe_xml": ("the file contains a DTD or entity declarations, which are refused",
                   "Het bestand bevat een DTD of entiteitdeclaraties; die worden geweigerd."),
    "not_utf8": ("diagram: the file is not UTF-8 text",
                 "Diagram: het bestand is geen UTF-8-tekst."),
    "too_large": ("{label}: the file is {size} bytes, more than the limit of {limit}",
                  "Diagram: het bestand is {size} bytes, meer dan de grens van {limit} bytes."),
    "process_id": ("{label}: the process must have the id {expected!r}",
                   "{label}: het proces moet de id '{expected}' hebben."),
    "form_file": ("{text}", "Formulierbestand klopt niet: {text}"),
    "letter_template": ("{text}", "Briefsjabloon klopt niet: {text}"),
    "script_invalid": ("{label}: script: {detail}", "{label}: het script is niet toegestaan: {detail}"),
    "script_fails": ("{label}: script fails: {detail}", "{label}: het script mislukt: {detail}"),
    "role_missing": ("{label}: user task needs a role property ({roles}), has {role!r}",
                     "{label}: een gebruikerstaak heeft de eigenschap 'role' nodig ({roles}); nu: {role_nl}."),
    "form_missing": ("{label}: user task needs a form property",
                     "{label}: een gebruikerstaak heeft de eigenschap 'form' nodig."),
    "form_unknown": ("{label}: form {form!r} does not exist in forms/",
                     "{label}: het formulier '{form}' bestaat niet in forms/."),
    "gateway_no_default": ("{label}: exclusive gateway has conditions but no default flow",
                           "{label}: een exclusieve gateway met voorwaarden heeft een standaardpad nodig."),
    "unsupported": ("{label}: this kind of element is not supported by the service",
                    "{label}: dit soort element wordt door de dienst niet ondersteund."),
    "plain_task": ("{label}: a plain or manual task waits for a person without a form; "
                   "use a user task with a role and form, or a script task",
                   "{label}: een gewone of handmatige taak wacht op iemand zonder formulier; gebruik een "
                   "gebruikerstaak met rol en formulier, of een scripttaak."),
    "status_invalid": ("{label}: status property must be one of {statuses}",
                       "{label}: de eigenschap 'status' moet een van deze waarden hebben: {statuses}."),
    "expression_empty": ("{label}: {what_en} expression is empty", "{label}: de {what_nl} is leeg."),
    "expression_invalid": ("{label}: {what_en}: {detail}", "{label}: de {what_nl} is niet toegestaan: {detail}"),
    "unknown_names": ("{label}: {what_en}: unknown name(s) {names} in {source!r}",
                      "{label}: de {what_nl} '{source}' gebruikt onbekende naam of namen: {names}."),
    "timer_fails": ("{label}: timer expression {source!r} fails: {detail}",
                    "{label}: de timerexpressie '{source}' mislukt: {detail}"),
    "timer_not_text": ("{label}: timer expression {source!r} gives {value!r}, not a date-time text",
                       "{label}: de timerexpressie '{source}' geeft {value!r}, geen tekst met datum en tijd."),
    "timer_not_iso": ("{label}: timer expression {source!r} gives {value!r}, not an ISO 8601 date-time",
                      "{label}: de timerexpressie '{source}' geeft {value!r}, geen ISO 8601-datum en -tijd."),
    "timer_no_timezone": ("{label}: timer expression {source!r} gives {value!r} without a timezone",
                          "{label}: de timerexpressie '{source}' geeft {value!r} zonder tijdzone."),
    "contract_task_missing": ("{label}: user task of the public contract is missing",
                              "{label}: deze gebruikerstaak uit het openbare contract ontbreekt."),
    "contract_task_kind": ("{label}: must be a user task (is {kind})",
                           "{label}: moet een gebruikerstaak zijn (is nu {kind})."),
    "deadline_not_boundary": ("{label}: a deadline must be a timer boundary event",
                              "{label}: een termijn moet een timer op de rand van een taak zijn."),
    "deadline_interrupting": ("{label}: a deadline timer must be non-interrupting",
                              "{label}: een termijntimer mag de taak niet onderbreken (non-interrupting)."),
    "due_by_unknown_deadline": ("{label}: due by deadline {deadline!r}, which no timer declares",
                                "{label}: hoort bij termijn '{deadline}', maar geen timer bewaakt die termijn."),
    "cancels_unknown_deadline": ("{label}: cancels deadline {deadline!r}, which no timer declares",
                                 "{label}: laat termijn '{deadline}' vervallen, maar geen timer bewaakt die termijn."),
    "deadline_twice": ("{label}: deadline {deadline!r} has another term on {other} "
                       "({source!r} against {other_source!r})",
                       "{label}: termijn '{deadline}' staat ook op {other}, met een andere termijn ('{source}' "
                       "tegenover '{other_source}'). Leg een termijn op één plaats vast."),
    "meets_unknown_deadline": ("{label}: meets deadline {deadline!r}, which no timer declares",
                               "{label}: haalt termijn '{deadline}', maar geen timer bewaakt die termijn."),
    "letter_unknown": ("{label}: letter {kind!r} is not a known letter kind",
                       "{label}: brief '{kind}' is geen bekende briefsoort."),
    "unreachable": ("{label}: cannot be reached from the start event",
                    "{label}: is niet bereikbaar vanaf de start."),
    "file_missing": ("{label}: the file {path} cannot be read", "Diagram: het bestand {path} is niet te lezen."),
    "start_not_timer": ("{label}: the process must start with one timer start event (the end of the quarter)",
                        "{label}: het proces moet beginnen met één timer-startgebeurtenis (het einde van het "
                        "kwartaal)."),
    "role_not": ("{label}: user task must have role {expected!r}, has {role!r}",
                 "{label}: deze gebruikerstaak moet de rol '{expected}' hebben; nu: {role_nl}."),
}

# How an expression is named: "timer" or "condition" (to a target element).
_WHAT = {
    "timer": ("timer", "timerexpressie"),
    "condition": ("condition to {target}", "voorwaarde naar {target}"),
}


@dataclass(frozen=True)
class Problem:
    """One reason a diagram cannot be deployed, naming its element (None: the file as a whole)."""

    element_id: str | None
    element_name: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Return how messages name the element: `id (name)`, `id`, or "diagram"."""
        if self.element_id is None:
            return "diagram"
        return f"{self.element_id} ({self.element_name})" if self.element_name else self.element_id

    def english(self) -> str:
        """Return the message in English, as the command line prints it."""
        return self._render(0)

    def dutch(self) -> str:
        """Return the message in Dutch, as people see it."""
        return self._render(1)

    def as_dict(self) -> dict:
        """Return the API shape: element_id, element_name, code, message_nl, message_en."""
        return {"element_id": self.element_id, "element_name": self.element_name, "code": self.code,
                "message_nl": self.dutch(), "message_en": self.english()}

    def _render(self, language: int) -> str:
        values = dict(self.params)
        if language == 1 and "detail" in values:
            values["detail"] = dutch_detail(str(values["detail"]))
        what = _WHAT.get(str(values.get("what", "")))
        if what is not None:
            values["what_en"] = what[0].format(**values)
            values["what_nl"] = what[1].format(**values)
        values.setdefault("role_nl", "geen" if values.get("role") is None else f"'{values.get('role')}'")
        template = MESSAGES[self.code][language]
        return template.format(label=self.label, **values)


def english_lines(problems: list[Problem]) -> list[str]:
    """Return the English message of every problem."""
    return [problem.english() for problem in problems]


def dutch_lines(problems: list[Problem]) -> list[str]:
    """Return the Dutch message of every problem."""
    return [problem.dutch() for problem in problems]


# What the expression language refuses, as the checker names it, in Dutch.
_SUBJECTS = {
    "attribute access": "een punt na een naam (attribuut)", "lambda": "lambda", "comprehensions": "comprehensions",
    "generator expressions": "generatorexpressies", "f-strings": "f-strings", "assignment expressions (:=)": ":=",
    "await": "await", "yield": "yield", "starred expressions": "sterretjes (*)", "slices": "slices",
    "set displays": "verzamelingen met {}", "annotated assignment": "toewijzing met type",
}
_RULES: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(pattern), dutch) for pattern, dutch in (
    (r"^unknown name '(?P<n>[^']*)'$", lambda m: f"de naam '{m['n']}' is onbekend"),
    (r"^unknown function '(?P<n>[^']*)'$", lambda m: f"de functie '{m['n']}' bestaat niet in de expressietaal"),
    (r"^division by zero$", lambda m: "er wordt door nul gedeeld"),
    (r"^number too large$", lambda m: "een getal wordt te groot"),
    (r"^empty expression$", lambda m: "de expressie is leeg"),
    (r"^syntax error: .*$", lambda m: "dit is geen geldige expressie (controleer haakjes, aanhalingstekens en "
                                      "operatoren)"),
    (r"^(?P<what>.+?) (is|are) not allowed$",
     lambda m: f"{_SUBJECTS.get(m['what'], m['what'])} is niet toegestaan in de expressietaal"),
    (r"^key (?P<k>.+) not found$", lambda m: f"de sleutel {m['k']} bestaat niet"),
    (r"^index (?P<k>.+) out of range$", lambda m: f"de positie {m['k']} bestaat niet"),
    (r"^evaluation takes too many steps.*$", lambda m: "de berekening duurt te lang"),
    (r"^function '(?P<n>[^']*)' failed: (?P<why>.*)$",
     lambda m: f"de functie '{m['n']}' geeft een fout ({dutch_detail(m['why'])})"),
    (r"^'(?P<op>[^']*)' is not supported between (?P<types>.*)$",
     lambda m: f"'{m['op']}' kan niet worden toegepast op {m['types']}"),
    (r"^operation '(?P<op>[^']*)' is not allowed on (?P<types>.*)$",
     lambda m: f"'{m['op']}' kan niet worden toegepast op {m['types']}"),
    (r"^due_date needs a whole number of days, got (?P<v>.*)$",
     lambda m: f"due_date heeft een geheel aantal dagen nodig (nu: {m['v']})"),
))


def dutch_detail(detail: str) -> str:
    """Put the expression checker's detail in Dutch, part by part; a line number becomes "(regel N)"."""
    parts = []
    for part in (p.strip() for p in detail.split(";") if p.strip()):
        line = re.search(r"\s*\(line (\d+)\)$", part)
        text = part[:line.start()] if line else part
        for pattern, dutch in _RULES:
            found = pattern.match(text)
            if found:
                text = dutch(found)
                break
        else:
            text = f"technische melding: {text}"
        parts.append(text + (f" (regel {line.group(1)})" if line else ""))
    return "; ".join(parts)
