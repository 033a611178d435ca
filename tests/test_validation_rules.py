"""Every check of a diagram, failing: the problem names its element in English and in Dutch."""

import pytest
from conftest import ROOT
from diagrams import DIAGRAM, ORPHAN, changed

from service.forms.files import load_forms
from service.process.validation import Problem, check_file, validate_diagram

FORMS = load_forms(ROOT / "forms")
ACK_TIMER = "end_of(due_date(received_on, 14))</bpmn:timeDate>"
HEAR_COACH_DUE_BY = ('name="due_by" value="{}" />\n        </spiffworkflow:properties>\n      '
                     '</bpmn:extensionElements>\n      <bpmn:incoming>flow_investigation_hear')
REFER = '<bpmn:scriptTask id="refer_commissioning_client" name="Doorverwijzen naar opdrachtgever">'
REFER_END = ('<bpmn:script>escalated_on = today()</bpmn:script>\n    </bpmn:scriptTask>\n'
             '    <bpmn:scriptTask id="inform_ombudsman"')


def problems_of(text: str) -> list[Problem]:
    return validate_diagram(text.encode("utf-8"), process_id="klachtenreglement", forms=FORMS,
                            max_bytes=2 * 1024 * 1024, letter_templates_dir=str(ROOT / "letter_templates"))


def test_the_diagram_itself_has_no_problems():
    assert problems_of(DIAGRAM) == []


# (code, element, replacements, a word of the English message, a word of the Dutch message)
RULES = [
    ("role_missing", "hear_coach", [('<spiffworkflow:property name="role" value="handler" />\n'
                                      '          <spiffworkflow:property name="form" value="hear_coach" />',
                                      '<spiffworkflow:property name="form" value="hear_coach" />')],
     "needs a role property", "eigenschap 'role'"),
    ("form_missing", "hear_coach", [('<spiffworkflow:property name="form" value="hear_coach" />', "")],
     "needs a form property", "eigenschap 'form'"),
    ("form_unknown", "hear_coach", [('name="form" value="hear_coach"', 'name="form" value="hoor_coach"')],
     "'hoor_coach' does not exist", "formulier 'hoor_coach' bestaat niet"),
    ("gateway_no_default", "gw_admissible", [
        ('name="In behandeling nemen?" default="flow_admissible_no"', 'name="In behandeling nemen?"'),
        ('targetRef="call_report_cancelled" />', 'targetRef="call_report_cancelled"><bpmn:conditionExpression '
         'xsi:type="bpmn:tFormalExpression">taken_into_handling == False</bpmn:conditionExpression>'
         '</bpmn:sequenceFlow>')],
     "no default flow", "standaardpad"),
    ("unsupported", "refer_commissioning_client", [
        (REFER + "\n      <bpmn:extensionElements>",
         REFER.replace("scriptTask", "serviceTask") + "\n      <bpmn:extensionElements>\n"
         '        <spiffworkflow:serviceTaskOperator id="http/GetRequest" resultVariable="result" />'),
        (REFER_END, REFER_END.replace("<bpmn:script>escalated_on = today()</bpmn:script>\n    </bpmn:scriptTask>",
                                      "</bpmn:serviceTask>"))],
     "not supported", "niet ondersteund"),
    ("plain_task", "mark_closed", [
        ('<bpmn:scriptTask id="mark_closed" name="Klacht gesloten">',
         '<bpmn:task id="mark_closed" name="Klacht gesloten">'),
        ("<bpmn:script>closed_on = today()</bpmn:script>\n    </bpmn:scriptTask>\n    <bpmn:endEvent id=\"end_closed\"",
         "</bpmn:task>\n    <bpmn:endEvent id=\"end_closed\"")],
     "plain or manual task", "gewone of handmatige taak"),
    ("contract_task_kind", "reconsider", [
        ('<bpmn:userTask id="reconsider"', '<bpmn:manualTask id="reconsider"'),
        ("<bpmn:outgoing>flow_reconsider_gw</bpmn:outgoing>\n    </bpmn:userTask>",
         "<bpmn:outgoing>flow_reconsider_gw</bpmn:outgoing>\n    </bpmn:manualTask>")],
     "must be a user task", "moet een gebruikerstaak zijn"),
    ("contract_task_missing", "send_final_report", [('"send_final_report"', '"send_report"'),
                                                    (">send_final_report<", ">send_report<")],
     "public contract is missing", "openbare contract ontbreekt"),
    ("status_invalid", "mark_resolved", [('name="status" value="resolved"', 'name="status" value="opgelost"')],
     "status property must be one of", "eigenschap 'status'"),
    ("expression_empty", "gw_admissible", [("taken_into_handling == True", " ")], "expression is empty", "is leeg"),
    ("expression_invalid", "gw_admissible", [("taken_into_handling == True", "taken_into_handling.real")],
     "attribute", "niet toegestaan"),
    ("unknown_names", "gw_admissible", [("taken_into_handling == True", "taken_into_handlin == True")],
     "unknown name(s) taken_into_handlin", "onbekende naam of namen: taken_into_handlin"),
    ("script_invalid", "mark_closed_unhandled",
     [("closed_on = today()</bpmn:script>\n    </bpmn:scriptTask>\n    <!--",
       "import os</bpmn:script>\n    </bpmn:scriptTask>\n    <!--")],
     "import", "script is niet toegestaan"),
    ("script_fails", "mark_closed", [("<bpmn:script>closed_on = today()</bpmn:script>",
                                      "<bpmn:script>closed_on = 1 / 0</bpmn:script>")],
     "script fails: division by zero", "script mislukt"),
    ("timer_fails", "timer_acknowledgement", [(ACK_TIMER, "end_of(due_date(received_on))</bpmn:timeDate>")],
     "fails", "mislukt"),
    ("timer_not_text", "timer_acknowledgement", [(ACK_TIMER, "14</bpmn:timeDate>")], "not a date-time text",
     "geen tekst met datum en tijd"),
    ("timer_not_iso", "timer_acknowledgement", [(ACK_TIMER, '"morgen"</bpmn:timeDate>')], "not an ISO 8601 date-time",
     "geen ISO 8601"),
    ("timer_no_timezone", "timer_acknowledgement", [(ACK_TIMER, "received_on</bpmn:timeDate>")], "without a timezone",
     "zonder tijdzone"),
    ("deadline_not_boundary", "hear_coach", [('<spiffworkflow:property name="form" value="hear_coach" />',
                                              '<spiffworkflow:property name="form" value="hear_coach" />'
                                              '<spiffworkflow:property name="deadline" value="call_report" />')],
     "must be a timer boundary event", "timer op de rand"),
    ("deadline_interrupting", "timer_acknowledgement", [
        ('attachedToRef="watch_acknowledgement" cancelActivity="false"',
         'attachedToRef="watch_acknowledgement" cancelActivity="true"')],
     "non-interrupting", "niet onderbreken"),
    ("deadline_twice", "timer_acknowledgement", [('name="deadline" value="unfounded_notice"',
                                                  'name="deadline" value="acknowledgement"')],
     "has another term on 'Ontvangst + 4 weken' (timer_unfounded_notice)", "Leg een termijn op één plaats vast"),
    ("due_by_unknown_deadline", "hear_coach", [
        (HEAR_COACH_DUE_BY.format("call_report"), HEAR_COACH_DUE_BY.format("verslag"))],
     "due by deadline 'verslag', which no timer declares", "hoort bij termijn 'verslag'"),
    ("cancels_unknown_deadline", "call_report_cancelled", [('name="cancels_deadline" value="call_report"',
                                                             'name="cancels_deadline" value="verslag"')],
     "cancels deadline 'verslag'", "laat termijn 'verslag' vervallen"),
    ("meets_unknown_deadline", "send_final_report", [('name="meets_deadline" value="final_report"',
                                                      'name="meets_deadline" value="eindtermijn"')],
     "'eindtermijn', which no timer declares", "geen timer bewaakt"),
    ("letter_unknown", "send_final_report",
     [('name="letter" value="eindverslag"', 'name="letter" value="eindverslagg"')],
     "'eindverslagg' is not a known letter kind", "geen bekende briefsoort"),
    ("unreachable", "orphan_task", [("  </bpmn:process>", ORPHAN)], "cannot be reached from the start event",
     "niet bereikbaar vanaf de start"),
    ("process_id", "andere_id", [('id="klachtenreglement"', 'id="andere_id"'),
                                 ('processRef="klachtenreglement"', 'processRef="andere_id"')],
     "must have the id 'klachtenreglement'", "moet de id 'klachtenreglement' hebben"),
    ("parse", "hear_coach", [('<bpmn:userTask id="hear_coach"', '<bpmn:userTsk id="hear_coach"'),
                             ("<bpmn:outgoing>flow_hear_agreement</bpmn:outgoing>\n    </bpmn:userTask>",
                              "<bpmn:outgoing>flow_hear_agreement</bpmn:outgoing>\n    </bpmn:userTsk>")],
     "userTsk", "Het bestand is geen geldig BPMN-diagram: "),
]


@pytest.mark.parametrize("code, element, replacements, english, dutch", RULES, ids=[r[0] for r in RULES])
def test_a_failing_rule_names_its_element_in_both_languages(code, element, replacements, english, dutch):
    found = [p for p in problems_of(changed(*replacements)) if p.code == code]
    assert found, [p.english() for p in problems_of(changed(*replacements))]
    problem = next((p for p in found if p.element_id == element), found[0])
    assert problem.element_id == element
    assert element in problem.english() and english in problem.english()
    assert element in problem.dutch() and dutch in problem.dutch()
    assert problem.as_dict() == {"element_id": element, "element_name": problem.element_name, "code": code,
                                 "message_nl": problem.dutch(), "message_en": problem.english()}


def test_an_unreachable_element_is_named_also_when_elements_hang_on_it():
    text = changed(("  </bpmn:process>", ORPHAN.replace("</bpmn:process>", "") + '''
    <bpmn:boundaryEvent id="orphan_timer" name="Losse timer" attachedToRef="orphan_task" cancelActivity="false">
      <bpmn:timerEventDefinition id="timerdef_orphan">
        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">end_of(due_date(received_on, 1))</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
  </bpmn:process>'''))
    unreachable = {p.element_id: p for p in problems_of(text) if p.code == "unreachable"}
    assert set(unreachable) == {"orphan_task", "orphan_timer"}
    assert unreachable["orphan_task"].element_name == "Losse taak"


def test_boundary_events_and_event_gateway_branches_count_as_reached():
    reached = problems_of(DIAGRAM)
    assert not [p for p in reached if p.code == "unreachable"]  # timers, escalation branches, their end events


@pytest.mark.parametrize("content, code, english, dutch", [
    (b"<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><d>&x;</d>", "unsafe_xml", "DTD or entity",
     "DTD of entiteitdeclaraties"),
    (b"<d>" + b"x" * 200 + b"</d>", "too_large", "more than the limit of 100", "meer dan de grens van 100"),
    ('<?xml version="1.0" encoding="ISO-8859-1"?><d>caf\xe9</d>'.encode("latin-1"), "not_utf8", "not UTF-8",
     "geen UTF-8"),
])
def test_files_that_are_not_read_at_all(content, code, english, dutch):
    problems = check_file(content, max_bytes=100)
    assert [p.code for p in problems] == [code]
    assert english in problems[0].english() and dutch in problems[0].dutch()
    assert problems[0].element_id is None


def test_a_broken_xml_file_is_a_parse_problem_with_the_parser_text():
    [problem] = problems_of("dit is geen diagram")
    assert problem.code == "parse"
    assert problem.english().startswith("not well-formed XML")
    assert problem.dutch() == "Het bestand is geen geldig BPMN-diagram: " + problem.english()


@pytest.mark.parametrize("replacement, dutch", [
    (("taken_into_handling == True", "taken_into_handling.real"),
     "een punt na een naam (attribuut) is niet toegestaan in de expressietaal"),
    (("taken_into_handling == True", "taken_into_handling == "), "dit is geen geldige expressie"),
    (("<bpmn:script>closed_on = today()</bpmn:script>\n    </bpmn:scriptTask>\n    <bpmn:endEvent id=\"end_closed\"",
      "<bpmn:script>closed_on = 1 / 0</bpmn:script>\n    </bpmn:scriptTask>\n    <bpmn:endEvent id=\"end_closed\""),
     "er wordt door nul gedeeld"),
    ((ACK_TIMER, "end_of(due_date(received_on))</bpmn:timeDate>"), "geeft een fout"),
])
def test_a_check_message_in_dutch_is_a_dutch_sentence_not_a_python_error(replacement, dutch):
    messages = [p.dutch() for p in problems_of(changed(replacement))]
    assert any(dutch in message for message in messages), messages
    assert not any(word in message for message in messages for word in ("unknown name", "not allowed", "division"))
