"""Parse a diagram into a Definition: its elements as the service sees them, reachability, cached by hash."""

import hashlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser


class InvalidDiagram(Exception):
    """A diagram could not be parsed; problems lists each one, elements the element each names (or None)."""

    def __init__(self, problems: list[str], elements: list[str | None] | None = None):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.elements = list(elements) if elements is not None else [None] * len(problems)


@dataclass(frozen=True)
class Element:
    """One BPMN element of a deployed definition, as the service sees it."""

    bpmn_id: str
    name: str
    kind: str  # user_task, script_task, gateway, timer_event, message_event, event, task, ...
    lane: str | None
    properties: Mapping[str, str]
    expressions: tuple[tuple[str, str], ...] = ()  # (what, source): conditions, timers
    script: str | None = None
    attached_to: str | None = None
    cancel_activity: bool | None = None
    has_default: bool | None = None
    outputs: tuple[str, ...] = ()  # targets of its outgoing sequence flows, sorted
    is_start: bool = False  # a start event of the process


@dataclass(frozen=True)
class Definition:
    """A parsed process definition, cached by the hash of its XML."""

    sha256: str
    process_id: str
    spec: object
    subprocess_specs: Mapping[str, object]
    elements: Mapping[str, Element] = field(repr=False)
    # Flow nodes that cannot be reached from the start event: id -> name. The parser never even reads them.
    unreachable: Mapping[str, str] = field(default_factory=dict, repr=False)

    def with_property(self, name: str) -> list[Element]:
        """Return the elements that carry a spiffworkflow property."""
        return [e for e in self.elements.values() if name in e.properties]


_cache: dict[str, Definition] = {}
_cache_lock = threading.Lock()


def cached(sha256: str) -> Definition | None:
    """Return an already parsed definition by the hash of its XML, or None."""
    with _cache_lock:
        return _cache.get(sha256)


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check_xml_safety(xml: bytes) -> list[str]:
    """Return problems that make XML unsafe to parse at all (DTDs, entities)."""
    head = xml[:4096].lower()
    if b"<!doctype" in xml.lower() or b"<!entity" in head:
        return ["the file contains a DTD or entity declarations, which are refused"]
    return []


def parse(xml: bytes, process_id: str, *, any_process: bool = False, cache: bool = True) -> Definition:
    """Parse and schema-validate a diagram, or raise InvalidDiagram; results are cached by hash.

    With any_process, a file without process_id yields its first process instead, so that deploy can
    list everything else that is wrong with a diagram drawn for another purpose. Without cache, the result
    is not kept (drafts and checks: only deployed versions stay in memory).
    """
    sha = hashlib.sha256(xml).hexdigest()
    with _cache_lock:
        cached = _cache.get(sha)
    if cached is not None and (cached.process_id == process_id or any_process):
        return cached
    problems = check_xml_safety(xml)
    if problems:
        raise InvalidDiagram(problems)
    parser = SpiffBpmnParser(validator=BpmnValidator())
    tree = None
    try:
        tree = etree.fromstring(xml, parser=_safe_parser())
        parser.add_bpmn_xml(etree.ElementTree(tree), filename="diagram.bpmn")
        found = parser.get_process_ids()
        if process_id not in found:
            if not (any_process and found):
                raise InvalidDiagram([f"{process_id}: no executable process with this id; the file has "
                                      f"{', '.join(found) or 'none'}"])
            process_id = found[0]
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except etree.XMLSyntaxError as err:
        raise InvalidDiagram([f"not well-formed XML: {err}"]) from err
    except ValidationException as err:
        element, problem = _describe_validation_error(err, tree)
        raise InvalidDiagram([problem], [element]) from err
    except (SpiffWorkflowException, KeyError, ValueError, AttributeError, TypeError) as err:
        raise InvalidDiagram([f"diagram: {first_line(err)}"]) from err
    process = next((p for p in tree.iter(f"{_BPMN}process") if p.get("id") == process_id), None)
    flows = _sequence_flows(process)
    elements = _elements(spec, subprocess_specs, flows)
    reachable = _reachable(spec, subprocess_specs)
    unreachable = {node_id: name for node_id, name in _flow_nodes(process).items()
                   if node_id not in reachable}
    unreachable.update({k: e.name for k, e in elements.items() if k not in reachable and k not in unreachable})
    definition = Definition(sha, process_id, spec, subprocess_specs, elements, unreachable)
    if cache:
        with _cache_lock:
            _cache[sha] = definition
    return definition


_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
# The flow nodes of BPMN 2.0: what a sequence flow can reach (not lanes, flows, data or annotations).
_FLOW_NODES = frozenset(_BPMN + tag for tag in (
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "task",
    "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "subProcess", "callActivity", "transaction", "adHocSubProcess",
))


def _flow_nodes(process) -> dict[str, str]:
    """Return every flow node of a process element (nested ones too): id -> name."""
    if process is None:
        return {}
    return {node.get("id"): node.get("name") or "" for node in process.iter()
            if node.tag in _FLOW_NODES and node.get("id")}


def _sequence_flows(process) -> dict[str, tuple[str, ...]]:
    """Return the targets of the sequence flows of a process element by source id."""
    targets: dict[str, set[str]] = {}
    if process is not None:
        for flow in process.iter(f"{_BPMN}sequenceFlow"):
            if flow.get("sourceRef") and flow.get("targetRef"):
                targets.setdefault(flow.get("sourceRef"), set()).add(flow.get("targetRef"))
    return {source: tuple(sorted(found)) for source, found in targets.items()}


def _reachable(spec, subprocess_specs) -> set[str]:
    """Return the BPMN ids reached from the start by following task spec outputs.

    Outputs include boundary events (through their split) and every branch of a gateway, also an event-based
    one; an embedded subprocess is entered at its own start.
    """
    seen: set[int] = set()
    found: set[str] = set()
    pending = [spec.start]
    while pending:
        ts = pending.pop()
        if id(ts) in seen:
            continue
        seen.add(id(ts))
        if getattr(ts, "bpmn_id", None):
            found.add(ts.bpmn_id)
        pending.extend(ts.outputs)
        inner = getattr(ts, "spec", None)  # a subprocess task names the spec of its subprocess
        if isinstance(inner, str) and inner in subprocess_specs:
            pending.append(subprocess_specs[inner].start)
    return found


def _describe_validation_error(err: ValidationException, tree) -> tuple[str | None, str]:
    """Name the element (id and line) of a schema or parser error and keep the message short."""
    element = getattr(err, "id", "") or ""
    line = getattr(err, "line_number", "") or ""
    if not element and line and tree is not None:
        at_line = [e for e in tree.iter() if e.sourceline == line and isinstance(e.tag, str)]
        element = next((e.get("id") for e in at_line if e.get("id")), "")
    message = first_line(err).split(" Expected is one of")[0]
    message = message.replace("{http://www.omg.org/spec/BPMN/20100524/MODEL}", "bpmn:")
    where = " ".join(p for p in (element, f"(line {line})" if line else "") if p)
    return element or None, f"{where or 'diagram'}: {message}"


def first_line(err: Exception) -> str:
    """Return the first line of an error message, or its type when it has none."""
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _all_task_specs(spec, subprocess_specs) -> Iterator:
    for process in [spec, *subprocess_specs.values()]:
        yield from process.task_specs.values()


def _elements(spec, subprocess_specs, flows: Mapping[str, tuple[str, ...]]) -> dict[str, Element]:
    elements = {}
    for ts in _all_task_specs(spec, subprocess_specs):
        bpmn_id = getattr(ts, "bpmn_id", None)
        if not bpmn_id:
            continue  # engine-internal specs (Start, End, boundary splits)
        elements[bpmn_id] = _describe(ts, flows.get(bpmn_id, ()))
    return elements


def _describe(ts, outputs: tuple[str, ...] = ()) -> Element:
    class_name = type(ts).__name__
    props = dict((getattr(ts, "extensions", None) or {}).get("properties", {}))
    exprs: list[tuple[str, str]] = []
    kind = "other"
    event_definition = getattr(ts, "event_definition", None)
    if class_name == "UserTask":
        kind = "user_task"
    elif class_name == "ScriptTask":
        kind = "script_task"
    elif class_name in ("NoneTask", "ManualTask"):
        kind = "task"
    elif "Gateway" in class_name:
        kind = "gateway"
    elif isinstance(event_definition, TimerEventDefinition):
        kind = "timer_event"
        exprs.append(("timer", event_definition.expression))
    elif isinstance(event_definition, MessageEventDefinition):
        kind = "message_event"
    elif event_definition is not None:
        kind = "event"
    elif class_name == "SubWorkflowTask" or "Subprocess" in class_name or "CallActivity" in class_name:
        kind = "subprocess"
    for condition, target in getattr(ts, "cond_task_specs", []) or []:
        if condition is not None:
            source = condition.args[0] if getattr(condition, "args", None) else condition
            exprs.append((f"condition to {target.split('.')[0]}", source))
    return Element(
        bpmn_id=ts.bpmn_id,
        name=ts.bpmn_name or "",
        kind=kind,
        lane=getattr(ts, "lane", None),
        properties=props,
        expressions=tuple(exprs),
        script=getattr(ts, "script", None),
        attached_to=_attached_bpmn_id(ts),
        cancel_activity=getattr(ts, "cancel_activity", None),
        has_default=(getattr(ts, "default_task_spec", None) is not None)
        if hasattr(ts, "default_task_spec") else None,
        outputs=outputs,
        is_start=class_name == "StartEvent",
    )


def _attached_bpmn_id(ts) -> str | None:
    if type(ts).__name__ != "BoundaryEvent":
        return None
    for split in ts.inputs:
        for output in split.outputs:
            if output is not ts and getattr(output, "bpmn_id", None):
                return output.bpmn_id
    return None
