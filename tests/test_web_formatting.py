"""Dutch presentation of dates, days left, history events and recorded values (no database needed)."""

from datetime import UTC, date, datetime

import pytest

from service.clock import AMSTERDAM
from service.forms.definition import Choice, FieldDefinition
from service.web.formatting import days_left_text, field_value, file_size, history_text, nl_date, nl_datetime


@pytest.mark.parametrize("value, shown", [
    (date(2026, 12, 14), "14 december 2026"),
    ("2026-01-01", "1 januari 2026"),
    (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "1 april 2026"),  # already 1 April in Amsterdam
    (None, ""),
])
def test_dates_are_written_the_dutch_way(value, shown):
    assert nl_date(value) == shown


@pytest.mark.parametrize("value, shown", [
    (datetime(2026, 3, 3, 9, 5, tzinfo=UTC), "3 maart 2026 om 10:05"),
    (datetime(2026, 7, 1, 9, 5), "1 juli 2026 om 11:05"),  # stored UTC without zone (SQLite), summer time
    ("2026-03-03T10:00:00+01:00", "3 maart 2026 om 10:00"),
    (datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM), "3 maart 2026 om 10:00"),
])
def test_moments_are_shown_in_amsterdam_time(value, shown):
    assert nl_datetime(value) == shown


@pytest.mark.parametrize("days, shown", [
    (3, "nog 3 dagen"), (1, "nog 1 dag"), (0, "vandaag"), (-1, "1 dag te laat"), (-12, "12 dagen te laat"),
    (None, "geen termijn"),
])
def test_days_left_in_words(days, shown):
    assert days_left_text(days) == shown


@pytest.mark.parametrize("event, shown", [
    ({"kind": "registered", "detail": {"reference": "KL-2026-0001"}}, "Geregistreerd"),
    ({"kind": "task_completed", "detail": {"task": "hear_coach", "name": "Reactie coach vastleggen"}},
     "Taak afgerond: Reactie coach vastleggen"),
    ({"kind": "task_completed", "detail": {"task": "coach_agreement", "name": "Akkoord coach op samenvatting",
                                           "decision": {"agrees": False}}},
     "Akkoord coach op samenvatting: de coach stemt niet in met de samenvatting"),
    ({"kind": "task_completed", "detail": {"task": "offer_call", "name": "Aanbod telefonisch bespreken",
                                           "decision": {"complainant_satisfied": False}}},
     "Aanbod telefonisch bespreken: de klager is niet tevreden met het aanbod"),
    ({"kind": "task_completed", "detail": {"task": "offer_call", "name": "Aanbod telefonisch bespreken",
                                           "decision": {"complainant_satisfied": True}}},
     "Aanbod telefonisch bespreken: de klager is tevreden met het aanbod"),
    ({"kind": "task_completed", "detail": {"task": "decide_measures", "name": "Gegrondheid en maatregelen bepalen",
                                           "decision": {"founded": True, "partly_founded": True}}},
     "Gegrondheid en maatregelen bepalen: de klacht is deels gegrond"),
    ({"kind": "task_completed", "detail": {"task": "assess_admissibility", "name": "Ontvankelijkheid beoordelen",
                                           "decision": {"taken_into_handling": False}}},
     "Ontvankelijkheid beoordelen: niet in behandeling genomen"),
    ({"kind": "task_completed", "detail": {"task": "reconsider", "name": "Vervolg bepalen",
                                           "decision": {"next_step": "new_offer"}}},
     "Vervolg bepalen: gekozen voor een nieuw aanbod"),
    ({"kind": "deadline_met", "detail": {"deadline": "acknowledgement", "on_time": True}},
     "Termijn gehaald: Ontvangstbevestiging"),
    ({"kind": "deadline_met", "detail": {"deadline": "final_report", "on_time": False}},
     "Termijn te laat afgerond: Eindverslag"),
    ({"kind": "deadline_passed", "detail": {"deadline": "call_report", "due_on": "2026-04-14"}},
     "Termijn verstreken: Verslag telefoongesprek (uiterlijk 14 april 2026)"),
    ({"kind": "status_changed", "detail": {"old": "open", "new": "resolved"}},
     "Status gewijzigd: open → afgehandeld"),
    ({"kind": "deadline_extended", "detail": {"deadline": "call_report", "previous_due_on": "2026-04-14",
                                              "new_due_on": "2026-04-28"}},
     "Termijn verlengd: Verslag telefoongesprek van 14 april 2026 naar 28 april 2026"),
    ({"kind": "escalated", "detail": {"route": "data_protection_authority"}},
     "Geëscaleerd: Autoriteit Persoonsgegevens"),
    ({"kind": "timer_failed", "detail": {"error": "x"}}, "Storing bij de termijnbewaking"),
    ({"kind": "incident_retried", "detail": {}}, "Storing opnieuw aangeboden"),
    ({"kind": "incident_resolved", "detail": {}}, "Storing opgelost"),
    ({"kind": "attachment_added", "detail": {"filename": "klacht.pdf"}}, "Bijlage toegevoegd: klacht.pdf"),
    ({"kind": "something_new", "detail": {}}, "something_new"),
])
def test_history_events_read_as_dutch_sentences(event, shown):
    assert history_text(event) == shown


def test_recorded_values_use_the_labels_of_their_form():
    choices = (Choice("low", "laag"), Choice("high", "hoog"))
    assert field_value(FieldDefinition("a", "boolean", "A"), False) == "nee"
    assert field_value(FieldDefinition("b", "choice", "B", choices=choices), "high") == "hoog"
    assert field_value(FieldDefinition("c", "multiple_choice", "C", choices=choices), ["low", "high"]) == "laag, hoog"
    assert field_value(FieldDefinition("c", "multiple_choice", "C", choices=choices), []) == "geen"
    assert field_value(FieldDefinition("d", "date", "D"), "2026-05-04") == "4 mei 2026"
    assert field_value(FieldDefinition("e", "number", "E"), 2.5) == "2,5"


def test_file_sizes():
    assert (file_size(512), file_size(12_300), file_size(1_572_864)) == ("512 bytes", "12 kB", "1,5 MB")
