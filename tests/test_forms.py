"""Tests of the task form definitions: checking and loading form files, validating submitted data."""

import datetime
import json
from pathlib import Path

import pytest

from service.forms.checks import check_form_data
from service.forms.definition import FormDefinitionError
from service.forms.files import load_form, load_forms, parse_form

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 3, 27)
REQUIRED = "Dit veld is verplicht."
SEVERITY = {"low": "laag", "medium": "middel", "high": "hoog"}
OFFERS = {"correction": "Correctie", "compensation": "Compensatie"}

# The forms of the public contract: task id -> field names in display order.
FORM_FIELDS = {
    "appoint_handler": ("handler_username", "handler_name", "handler_function", "handler_noloc_member"),
    "send_acknowledgement": ("summary", "incident_on", "place", "circumstances", "expected_term_weeks"),
    "assess_admissibility": ("taken_into_handling", "ground", "reason"),
    "send_unfounded_notice": ("explanation",),
    "hear_coach": ("coach_reaction_summary", "proceed_without_agreement", "disagreement_note"),
    "coach_agreement": ("agrees", "remarks"),
    "decide_measures": ("founded", "partly_founded", "offer_types", "offer_description", "severity", "cause",
                        "person_concerned"),
    "offer_call": ("called_on", "complainant_satisfied", "complainant_reaction"),
    "reconsider": ("next_step", "close_reason"),
    "send_final_report": ("resolution_summary",),
    "record_preventive_measures": ("measures_needed", "measures", "consulted"),
    "record_offer_carried_out": ("carried_out_on", "carried_out_description"),
    "analyse_complaints": ("conclusions", "actions"),  # the quarterly review (processes/kwartaalanalyse.bpmn)
}
# Fields that are optional or only conditionally required.
NOT_ALWAYS_REQUIRED = {"circumstances", "reason", "remarks", "measures", "consulted", "proceed_without_agreement",
                       "disagreement_note", "incident_on", "ground", "partly_founded", "person_concerned",
                       "close_reason"}


def choices(labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in labels.items()]


def field(kind: str, name: str = "value", **options) -> dict:
    return {"name": name, "type": kind, "label": "Waarde", **options}


def write_form(directory: Path, *fields: dict, task: str = "sample", **top) -> Path:
    path = directory / f"{task}.json"
    document = {"task": task, "title": "Proefformulier", "fields": list(fields), **top}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def real_form(task: str):
    return load_form(ROOT / "forms" / f"{task}.json")


# ---------------------------------------------------------------- values per field type

ACCEPTED = [
    (field("text"), "  Jan de Vries  ", "Jan de Vries"),
    (field("text"), "x" * 500, "x" * 500),
    (field("text", min_length=3), "abc", "abc"),
    (field("long_text"), "regel 1\nregel 2", "regel 1\nregel 2"),
    (field("long_text"), "x" * 10000, "x" * 10000),
    (field("boolean"), True, True),
    (field("boolean"), False, False),
    (field("boolean"), "true", True),
    (field("boolean"), "false", False),
    (field("boolean"), "ja", True),
    (field("boolean"), "Nee", False),
    (field("boolean"), "on", True),
    (field("boolean"), "1", True),
    (field("boolean"), "0", False),
    (field("date"), "2026-02-28", "2026-02-28"),
    (field("date", not_in_future=True), "2026-03-27", "2026-03-27"),
    (field("number", integer=True, min=1, max=6), 1, 1),
    (field("number", integer=True, min=1, max=6), "6", 6),
    (field("number", integer=True), " -3 ", -3),
    (field("number"), 2.5, 2.5),
    (field("number"), "2,5", 2.5),
    (field("number"), "0.75", 0.75),
    (field("choice", choices=choices(SEVERITY)), "medium", "medium"),
    (field("multiple_choice", choices=choices(OFFERS)), [], []),
    (
        field("multiple_choice", choices=choices(OFFERS)),
        ["compensation", "correction"],
        ["compensation", "correction"],
    ),
    (field("multiple_choice", choices=choices(OFFERS), min_items=1), [" correction "], ["correction"]),
    (field("file"), "bijlage-42", "bijlage-42"),
]

REFUSED = [
    (field("text"), 42, "Vul tekst in."),
    (field("text"), "x" * 501, "Te lang: maximaal 500 tekens."),
    (field("text", max_length=10), "x" * 11, "Te lang: maximaal 10 tekens."),
    (field("text", min_length=3), " ab ", "Te kort: minimaal 3 tekens."),
    (field("text"), "regel 1\nregel 2", "Gebruik één regel tekst."),
    (field("long_text"), "x" * 10001, "Te lang: maximaal 10000 tekens."),
    (field("long_text"), ["a"], "Vul tekst in."),
    (field("boolean"), "misschien", "Vul ja of nee in."),
    (field("boolean"), 1, "Vul ja of nee in."),
    (field("date"), "27-03-2026", "Vul een geldige datum in (JJJJ-MM-DD)."),
    (field("date"), "2026-02-30", "Vul een geldige datum in (JJJJ-MM-DD)."),
    (field("date"), "20260327", "Vul een geldige datum in (JJJJ-MM-DD)."),
    (field("date"), "2026-03-27T10:00", "Vul een geldige datum in (JJJJ-MM-DD)."),
    (field("date"), 20260327, "Vul een geldige datum in (JJJJ-MM-DD)."),
    (field("date", not_in_future=True), "2026-03-28", "De datum mag niet in de toekomst liggen."),
    (field("number", integer=True), "3.5", "Vul een geheel getal in."),
    (field("number", integer=True), 3.5, "Vul een geheel getal in."),
    (field("number", integer=True), "drie", "Vul een geheel getal in."),
    (field("number"), True, "Vul een getal in."),
    (field("number"), "1e3", "Vul een getal in."),
    (field("number", integer=True, min=1, max=6), 0, "Moet tussen 1 en 6 liggen."),
    (field("number", integer=True, min=1, max=6), "7", "Moet tussen 1 en 6 liggen."),
    (field("number", min=0), -1, "Moet minimaal 0 zijn."),
    (field("number", max=2.5), 3, "Moet maximaal 2,5 zijn."),
    (field("choice", choices=choices(SEVERITY)), "extreem", "Kies een van: laag, middel, hoog."),
    (field("choice", choices=choices(SEVERITY)), "laag", "Kies een van: laag, middel, hoog."),
    (field("choice", choices=choices(SEVERITY)), ["low"], "Kies een van: laag, middel, hoog."),
    (field("multiple_choice", choices=choices(OFFERS)), "correction", "Geef een lijst met keuzes."),
    (field("multiple_choice", choices=choices(OFFERS)), ["gift"], "Kies alleen uit: Correctie, Compensatie."),
    (
        field("multiple_choice", choices=choices(OFFERS)),
        ["correction", "correction"],
        "Kies elke mogelijkheid hoogstens één keer.",
    ),
    (field("multiple_choice", choices=choices(OFFERS), min_items=1), [], "Kies er minstens 1."),
    (field("multiple_choice", choices=choices(OFFERS), max_items=1), list(OFFERS), "Kies er hoogstens 1."),
    (field("file"), 42, "Ongeldige bijlage: verwacht de id van een bijlage."),
]


@pytest.mark.parametrize(("definition", "value", "expected"), ACCEPTED)
def test_valid_value_is_accepted_and_cleaned(tmp_path, definition, value, expected):
    form = load_form(write_form(tmp_path, definition))
    clean, errors = form.validate({"value": value}, today=TODAY)
    assert errors == {}
    assert clean == {"value": expected}
    assert type(clean["value"]) is type(expected)


@pytest.mark.parametrize(("definition", "value", "message"), REFUSED)
def test_invalid_value_is_refused_with_dutch_message(tmp_path, definition, value, message):
    form = load_form(write_form(tmp_path, definition))
    assert form.validate({"value": value}, today=TODAY) == ({}, {"value": [message]})


def test_not_in_future_uses_the_given_today(tmp_path):
    form = load_form(write_form(tmp_path, field("date", not_in_future=True)))
    tomorrow = {"value": "2026-03-28"}
    assert form.validate(tomorrow, today=TODAY)[1] == {"value": ["De datum mag niet in de toekomst liggen."]}
    assert form.validate(tomorrow, today=TODAY + datetime.timedelta(days=1)) == (tomorrow, {})


# ---------------------------------------------------------------- required and optional

KINDS = [
    field("text"),
    field("long_text"),
    field("boolean"),
    field("date"),
    field("number"),
    field("choice", choices=choices(SEVERITY)),
    field("multiple_choice", choices=choices(OFFERS)),
    field("file"),
]


@pytest.mark.parametrize("definition", KINDS, ids=lambda d: d["type"])
@pytest.mark.parametrize("data", [{}, {"value": None}, {"value": ""}, {"value": "   "}], ids=repr)
def test_required_field_that_is_missing_or_blank_is_refused(tmp_path, definition, data):
    form = load_form(write_form(tmp_path, definition))
    assert form.validate(data, today=TODAY) == ({}, {"value": [REQUIRED]})


@pytest.mark.parametrize("definition", KINDS, ids=lambda d: d["type"])
@pytest.mark.parametrize("data", [{}, {"value": None}, {"value": " "}], ids=repr)
def test_optional_field_that_is_missing_is_absent_from_clean_data(tmp_path, definition, data):
    form = load_form(write_form(tmp_path, {**definition, "required": False}, field("text", name="other")))
    assert form.validate({**data, "other": "x"}, today=TODAY) == ({"other": "x"}, {})


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"taken_into_handling": False}, {"reason": [REQUIRED]}),
        ({"taken_into_handling": "nee", "reason": "  "}, {"reason": [REQUIRED]}),
        ({"taken_into_handling": "misschien"}, {"taken_into_handling": ["Vul ja of nee in."]}),
        ({}, {"taken_into_handling": [REQUIRED]}),
    ],
)
def test_required_if_requires_the_field_when_the_condition_holds(data, errors):
    assert real_form("assess_admissibility").validate(data, today=TODAY) == ({}, errors)


@pytest.mark.parametrize(
    ("data", "clean"),
    [
        ({"taken_into_handling": True}, {"taken_into_handling": True}),
        (
            {"taken_into_handling": "ja", "reason": " Duidelijk "},
            {"taken_into_handling": True, "reason": "Duidelijk"},
        ),
        (
            {"taken_into_handling": False, "reason": "Buiten het reglement"},
            {"taken_into_handling": False, "reason": "Buiten het reglement"},
        ),
    ],
)
def test_required_if_leaves_the_field_optional_otherwise(data, clean):
    assert real_form("assess_admissibility").validate(data, today=TODAY) == (clean, {})


@pytest.mark.parametrize(("needed", "errors"), [(True, {"measures": [REQUIRED], "consulted": [REQUIRED]}), (False, {})])
def test_required_if_compares_with_true(needed, errors):
    _, found = real_form("record_preventive_measures").validate({"measures_needed": needed}, today=TODAY)
    assert found == errors


APPOINTMENT = {"handler_username": "bert", "handler_name": "Bert Jansen", "handler_function": "Loopbaancoach"}


@pytest.mark.parametrize("member", [False, "nee", "0"])
def test_must_equal_refuses_another_value_with_its_message(member):
    data = {**APPOINTMENT, "handler_noloc_member": member}
    errors = {"handler_noloc_member": ["De behandelaar moet een erkend NOLOC-lid zijn."]}
    assert real_form("appoint_handler").validate(data, today=TODAY) == ({}, errors)


@pytest.mark.parametrize("member", [True, "ja", "on"])
def test_must_equal_accepts_the_required_value(member):
    data = {**APPOINTMENT, "handler_noloc_member": member}
    clean, errors = real_form("appoint_handler").validate(data, today=TODAY)
    assert (clean, errors) == ({**APPOINTMENT, "handler_noloc_member": True}, {})


# ---------------------------------------------------------------- whole submissions

DECISION = {
    "founded": True,
    "offer_types": ["correction"],
    "offer_description": "Extra gesprek zonder kosten.",
    "severity": "low",
    "cause": "Onduidelijke afspraken.",
}


def test_unknown_field_is_refused_and_nothing_is_returned():
    clean, errors = real_form("decide_measures").validate({**DECISION, "extra": "x"}, today=TODAY)
    assert (clean, errors) == ({}, {"extra": ["Onbekend veld."]})


def test_all_errors_are_reported_at_once_in_form_order():
    data = {"extra": 1, "severity": "enorm", "founded": "soms", "offer_types": ["gift"], "cause": "x"}
    clean, errors = real_form("decide_measures").validate(data, today=TODAY)
    assert clean == {}
    assert errors == {
        "founded": ["Vul ja of nee in."],
        "offer_types": ["Kies alleen uit: Correctie, Compensatie of schadevergoeding, Vervangende dienst."],
        "offer_description": [REQUIRED],
        "severity": ["Kies een van: laag, middel, hoog."],
        "extra": ["Onbekend veld."],
    }


def test_data_that_is_not_a_mapping_is_refused():
    assert real_form("reconsider").validate(["close"], today=TODAY) == (
        {},
        {"_schema": ["Ongeldige invoer."]},
    )


def test_html_post_with_strings_is_converted():
    post = {
        "summary": " Te laat gestart ",
        "place": "Utrecht",
        "circumstances": "",
        "expected_term_weeks": "4",
    }
    clean, errors = real_form("send_acknowledgement").validate(post, today=TODAY)
    assert errors == {}
    assert clean == {"summary": "Te laat gestart", "place": "Utrecht", "expected_term_weeks": 4}


class MultiDict(dict):
    """Minimal stand-in for an HTML form post that can hold several values per name."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = pairs
        for key, value in pairs:
            self.setdefault(key, value)

    def getlist(self, key):
        return [value for name, value in self.pairs if name == key]


@pytest.mark.parametrize(
    ("offers", "expected"),
    [(["correction", "replacement_service"], ["correction", "replacement_service"]), ([], []), ([""], [])],
)
def test_html_post_reads_checkbox_lists(offers, expected):
    strings = {
        key: "ja" if value is True else value for key, value in DECISION.items() if key != "offer_types"
    }
    post = MultiDict([*strings.items(), *(("offer_types", offer) for offer in offers)])
    clean, errors = real_form("decide_measures").validate(post, today=TODAY)
    assert errors == {}
    assert clean == {**DECISION, "offer_types": expected, "partly_founded": False}


def test_field_named_like_a_schema_method_works(tmp_path):
    form = load_form(write_form(tmp_path, field("text", name="load"), field("text", name="fields")))
    assert form.validate({"load": "a", "fields": "b"}, today=TODAY) == ({"load": "a", "fields": "b"}, {})


def test_schema_class_is_built_once_per_definition(tmp_path):
    form = load_form(write_form(tmp_path, field("text")))
    assert form.schema_class is form.schema_class
    assert form.schema_class.__name__ == "SampleFormSchema"


# ---------------------------------------------------------------- the real form files


@pytest.mark.parametrize("task", sorted(FORM_FIELDS))
def test_real_form_file_loads_with_the_contract_fields(task):
    form = real_form(task)
    assert form.task == task
    assert form.title.strip() != ""
    assert tuple(f.name for f in form.fields) == FORM_FIELDS[task]
    assert form.field_names == frozenset(FORM_FIELDS[task])
    assert all(f.label.strip() for f in form.fields)


@pytest.mark.parametrize("task", sorted(FORM_FIELDS))
def test_real_form_requires_every_field_except_the_optional_ones(task):
    _, errors = real_form(task).validate({}, today=TODAY)
    assert errors == {name: [REQUIRED] for name in FORM_FIELDS[task] if name not in NOT_ALWAYS_REQUIRED}


def test_load_forms_returns_exactly_the_contract_forms(monkeypatch):
    monkeypatch.chdir(ROOT)
    forms = load_forms("forms")
    assert {task: tuple(f.name for f in form.fields) for task, form in forms.items()} == FORM_FIELDS


@pytest.mark.parametrize(
    ("task", "data", "errors"),
    [
        ("send_acknowledgement", {"expected_term_weeks": "8"}, ["Moet tussen 1 en 6 liggen."]),
        ("send_acknowledgement", {"expected_term_weeks": "2.5"}, ["Vul een geheel getal in."]),
        ("decide_measures", {"severity": "ernstig"}, ["Kies een van: laag, middel, hoog."]),
        ("offer_call", {"called_on": "2026-03-28"}, ["De datum mag niet in de toekomst liggen."]),
        (
            "reconsider",
            {"next_step": "escalate"},
            ["Kies een van: Nieuw intern onderzoek, Nieuw aanbod, Afsluiten."],
        ),
    ],
)
def test_real_form_checks_its_field_rules(task, data, errors):
    _, found = real_form(task).validate(data, today=TODAY)
    assert found[next(iter(data))] == errors


def test_real_offer_call_accepts_a_complete_submission():
    data = {"called_on": "2026-03-27", "complainant_satisfied": "nee", "complainant_reaction": "Wil meer."}
    clean, errors = real_form("offer_call").validate(data, today=TODAY)
    assert (clean, errors) == ({**data, "complainant_satisfied": False}, {})


# ---------------------------------------------------------------- invalid form files

OPTIONS = choices(SEVERITY)
BAD_FIELDS = [
    (
        [field("text", name="Bad Name")],
        'field "Bad Name": "name" must be an identifier matching [a-z][a-z0-9_]*',
    ),
    ([field("text", name="a"), field("boolean", name="a")], 'field "a": duplicate name (also field #1)'),
    (
        [field("txt", name="a")],
        'field "a": unknown type "txt", expected one of: '
        "text, long_text, boolean, date, number, choice, multiple_choice, file",
    ),
    (
        [{"name": "a", "label": "A"}],
        'field "a": unknown type null, expected one of: '
        "text, long_text, boolean, date, number, choice, multiple_choice, file",
    ),
    ([{"name": "a", "type": "text"}], 'field "a": "label" must be a non-empty string'),
    ([field("text", name="a", label="  ")], 'field "a": "label" must be a non-empty string'),
    (
        [field("choice", name="a")],
        'field "a": "choices" must be a non-empty list of {"value": ..., "label": ...}',
    ),
    (
        [field("multiple_choice", name="a", choices=[])],
        'field "a": "choices" must be a non-empty list of {"value": ..., "label": ...}',
    ),
    ([field("choice", name="a", choices=OPTIONS + OPTIONS[:1])], 'field "a": duplicate choice value "low"'),
    (
        [field("choice", name="a", choices=[{"value": "x"}])],
        'field "a": choice #1 must have exactly the keys "value" and "label"',
    ),
    (
        [field("text", name="a", required_if={"field": "missing", "equals": True})],
        'field "a": "required_if" refers to unknown field "missing"',
    ),
    (
        [field("boolean", name="b"), field("text", name="a", required_if={"field": "b", "equals": "nee"})],
        'field "a": "required_if": "equals" must be true or false',
    ),
    (
        [
            field("boolean", name="b"),
            field("text", name="a", required=True, required_if={"field": "b", "equals": True}),
        ],
        'field "a": "required_if" cannot be combined with "required": true',
    ),
    (
        [field("text", name="a", required_if={"field": "a", "equals": "x"})],
        'field "a": "required_if" cannot refer to the field itself',
    ),
    ([field("number", name="a", min=6, max=1)], 'field "a": "min" (6) is greater than max (1)'),
    ([field("number", name="a", integer=True, min=1.5)], 'field "a": "min" must be an integer'),
    (
        [field("text", name="a", min_length=600)],
        'field "a": "min_length" (600) is greater than max_length (500)',
    ),
    ([field("text", name="a", max_length=-1)], 'field "a": "max_length" must be a whole number >= 0'),
    ([field("text", name="a", requird=False)], 'field "a": unknown key "requird"'),
    ([field("boolean", name="a", max_length=5)], 'field "a": "max_length" is not allowed for type "boolean"'),
    ([field("text", name="a", required="ja")], 'field "a": "required" must be true or false'),
    ([field("boolean", name="a", must_equal="ja")], 'field "a": "must_equal" must be true or false'),
    (
        [field("choice", name="a", choices=OPTIONS, must_equal="x")],
        "field \"a\": \"must_equal\" must be one of the choice values ['low', 'medium', 'high']",
    ),
    (
        [field("boolean", name="a", must_equal_message="Moet.")],
        'field "a": "must_equal_message" without "must_equal"',
    ),
    (
        [field("multiple_choice", name="a", choices=OPTIONS, min_items=4)],
        'field "a": "min_items" (4) is greater than the number of choices (3)',
    ),
    (["text"], "field #1: must be a JSON object"),
]


@pytest.mark.parametrize(("fields", "problem"), BAD_FIELDS)
def test_bad_field_definition_is_reported_with_file_and_field(tmp_path, fields, problem):
    path = write_form(tmp_path, *fields)
    with pytest.raises(FormDefinitionError) as raised:
        load_form(path)
    assert raised.value.problems == [f"{path}: {problem}"]
    assert f"{path}: {problem}" in str(raised.value)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "the form must be a JSON object"),
        ({"title": "T", "fields": [field("text")]}, '"task" must be an identifier matching [a-z][a-z0-9_]*'),
        (
            {"task": "other", "title": "T", "fields": [field("text")]},
            '"task" is "other" but the file name says "sample"',
        ),
        ({"task": "sample", "fields": [field("text")]}, '"title" must be a non-empty string'),
        (
            {"task": "sample", "title": "T", "description": 3, "fields": [field("text")]},
            '"description" must be a non-empty string',
        ),
        ({"task": "sample", "title": "T"}, '"fields" must be a non-empty list'),
        ({"task": "sample", "title": "T", "fields": []}, '"fields" must be a non-empty list'),
        (
            {"task": "sample", "title": "T", "fields": {"value": field("text")}},
            '"fields" must be a non-empty list',
        ),
        ({"task": "sample", "titel": "T", "title": "T", "fields": [field("text")]}, 'unknown key "titel"'),
    ],
)
def test_bad_form_document_is_reported(document, problem):
    assert check_form_data(document, "forms/sample.json") == [f"forms/sample.json: {problem}"]


@pytest.mark.parametrize("task", sorted(FORM_FIELDS))
def test_real_form_file_has_no_problems(task):
    path = ROOT / "forms" / f"{task}.json"
    assert check_form_data(json.loads(path.read_text(encoding="utf-8")), f"forms/{task}.json") == []


def test_several_problems_in_one_file_are_reported_together():
    document = {
        "task": "Sample",
        "fields": [
            field("txt", name="a"),
            field("text", name="a", label=""),
            field("choice", name="c", choices=[{"value": "x", "label": "X"}, {"value": "x", "label": "Y"}]),
        ],
    }
    assert check_form_data(document, "forms/sample.json") == [
        'forms/sample.json: "task" must be an identifier matching [a-z][a-z0-9_]*',
        'forms/sample.json: "title" must be a non-empty string',
        'forms/sample.json: field "a": unknown type "txt", expected one of: '
        "text, long_text, boolean, date, number, choice, multiple_choice, file",
        'forms/sample.json: field "a": duplicate name (also field #1)',
        'forms/sample.json: field "a": "label" must be a non-empty string',
        'forms/sample.json: field "c": duplicate choice value "x"',
    ]


def test_load_forms_reports_the_problems_of_all_files_at_once(tmp_path):
    write_form(tmp_path, field("text"), task="good")
    first = write_form(tmp_path, field("text", name="Slecht"), task="first")
    second = tmp_path / "second.json"
    second.write_text('{"task": "second",\n "title": "T",\n "fields": [}\n', encoding="utf-8")
    with pytest.raises(FormDefinitionError) as raised:
        load_forms(tmp_path)
    assert raised.value.problems == [
        f'{first}: field "Slecht": "name" must be an identifier matching [a-z][a-z0-9_]*',
        f"{second}: invalid JSON on line 3, column 13: Expecting value",
    ]


def test_invalid_json_is_reported_with_its_line_number(tmp_path):
    path = tmp_path / "sample.json"
    path.write_text('{\n  "task": "sample",\n  "title": "T"\n  "fields": []\n}\n', encoding="utf-8")
    with pytest.raises(FormDefinitionError) as raised:
        load_form(path)
    assert raised.value.problems == [f"{path}: invalid JSON on line 4, column 3: Expecting ',' delimiter"]


def test_load_forms_of_a_missing_directory_is_an_error(tmp_path):
    with pytest.raises(FormDefinitionError) as raised:
        load_forms(tmp_path / "missing")
    assert raised.value.problems == [f"{tmp_path / 'missing'}: not a directory"]


def test_loaded_field_gets_the_documented_defaults(tmp_path):
    form = load_form(
        write_form(
            tmp_path,
            field("boolean", name="flag"),
            field("text", name="short", required_if={"field": "flag", "equals": False}),
            field("long_text", name="long", help="Toelichting."),
        )
    )
    flag, short, long = form.fields
    assert (flag.required, flag.max_length, flag.required_if) == (True, None, None)
    assert (short.required, short.max_length, short.required_if.field, short.required_if.equals) == (
        False,
        500,
        "flag",
        False,
    )
    assert (long.required, long.max_length, long.help) == (True, 10000, "Toelichting.")


def test_an_optional_yes_no_field_left_empty_takes_its_default():
    form = parse_form(json.dumps({"task": "t", "title": "T", "fields": [
        {"name": "go_on", "type": "boolean", "label": "Door?", "required": False, "default": False}]}).encode(),
        "t.json")[0]
    assert form.validate({}, today=TODAY) == ({"go_on": False}, {})
    assert form.validate({"go_on": True}, today=TODAY) == ({"go_on": True}, {})


def test_a_default_must_be_true_or_false_and_only_on_a_yes_no_field():
    problems = check_form_data({"task": "t", "title": "T", "fields": [
        {"name": "a", "type": "boolean", "label": "A", "default": "nee"},
        {"name": "b", "type": "text", "label": "B", "default": True}]}, "t.json")
    assert problems == ['t.json: field "a": "default" must be true or false',
                        't.json: field "b": "default" is not allowed for type "text"']
