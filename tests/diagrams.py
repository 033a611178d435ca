"""The deployed diagram and variants of it, for tests of validation, drafts, versions and migration."""

from conftest import ROOT

DIAGRAM = (ROOT / "processes" / "klachtenreglement.bpmn").read_text(encoding="utf-8")

# A user task that no flow leads to, put in the process just before its end.
ORPHAN = '''<bpmn:userTask id="orphan_task" name="Losse taak">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="role" value="handler" />
          <spiffworkflow:property name="form" value="hear_coach" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>'''


def changed(*replacements: tuple[str, str], text: str = DIAGRAM) -> str:
    """Return the diagram with each (old, new) replaced everywhere; every old text must occur."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def renamed(element_id: str, name: str, text: str = DIAGRAM) -> str:
    """Return the diagram with one element's name changed."""
    start = text.index(f'id="{element_id}"')
    head, tail = text[:start], text[start:]
    old = tail.split('name="', 1)[1].split('"', 1)[0]
    return head + tail.replace(f'name="{old}"', f'name="{name}"', 1)


# A new user task between hear_coach and the question whether the coach's agreement is asked (it reuses the form
# of hear_coach).
CHECK_STEP = '''<bpmn:userTask id="check_summary" name="Samenvatting nalezen">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="role" value="handler" />
          <spiffworkflow:property name="form" value="hear_coach" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_check_agreement" sourceRef="check_summary" targetRef="gw_coach_needed" />
  </bpmn:process>'''


def with_check_step(text: str = DIAGRAM) -> str:
    """Return the diagram with a new task check_summary after hear_coach."""
    return changed(('sourceRef="hear_coach" targetRef="gw_coach_needed"',
                    'sourceRef="hear_coach" targetRef="check_summary"'),
                   ("  </bpmn:process>", CHECK_STEP), text=text)


def without(*element_ids: str, text: str = DIAGRAM) -> str:
    """Return the diagram without these elements, the flows touching them, their lane entries and shapes."""
    import re

    for element_id in element_ids:
        quoted = re.escape(element_id)
        text, found = re.subn(rf'\n    <bpmn:(\w+) id="{quoted}"[^>]*?(/>|>.*?</bpmn:\1>)', "", text, flags=re.S)
        assert found == 1, element_id
        text = re.sub(rf'\n    <bpmn:sequenceFlow id="(\w+)" [^>]*?(sourceRef|targetRef)="{quoted}"[^>]*?'
                      r'(/>|>.*?</bpmn:sequenceFlow>)', "", text, flags=re.S)
        text = re.sub(rf"\n\s*<bpmn:flowNodeRef>{quoted}</bpmn:flowNodeRef>", "", text)
        text = re.sub(rf'\n\s*<bpmndi:BPMNShape id="{quoted}_di".*?</bpmndi:BPMNShape>', "", text, flags=re.S)
    return text
