"""Compare the elements of two deployed versions: what was added, removed, or changed and how."""

from dataclasses import dataclass

from service.models import ProcessVersion
from service.workflow.definitions import Definition, Element
from service.workflow.version_files import FORM, LETTER_TEMPLATE, file_hashes
from service.workflow.versions import load_definition

# The kinds of change, in the order they are listed; people see them through CHANGE_LABELS.
CHANGES = ("kind", "name", "lane", "role", "form", "letter", "deadline", "meets_deadline", "status", "timer",
           "condition", "script", "attached_to", "interrupting", "default", "flow", "properties")
CHANGE_LABELS = {
    "kind": "soort element", "name": "naam", "lane": "baan", "role": "rol", "form": "formulier",
    "letter": "brief", "deadline": "termijn", "meets_deadline": "gehaalde termijn", "status": "status",
    "timer": "timer", "condition": "voorwaarde", "script": "script", "attached_to": "taak van de timer",
    "interrupting": "onderbrekend", "default": "standaardpad", "flow": "volgende stappen",
    "properties": "eigenschappen",
}
_OWN_PROPERTIES = ("role", "form", "letter", "deadline", "meets_deadline", "status")


@dataclass(frozen=True)
class Diff:
    """Elements only in the new version, only in the old one, and in both with their changes."""

    added: tuple[Element, ...]
    removed: tuple[Element, ...]
    changed: dict[str, tuple[str, ...]]  # bpmn id -> changes
    new: Definition
    old: Definition | None = None

    def as_dict(self) -> dict:
        """Return the API shape: added, removed, changed (with changes, and old and new values) as {id, name, kind}."""
        def item(element: Element) -> dict:
            return {"id": element.bpmn_id, "name": element.name, "kind": element.kind}

        def values(bpmn_id: str, changes: tuple[str, ...]) -> dict:
            if self.old is None:
                return {}
            old, new = self.old.elements[bpmn_id], self.new.elements[bpmn_id]
            pairs = {change: (value_of(old, change), value_of(new, change))
                     for change in changes if change in VALUED_CHANGES}
            # A form or letter whose file changed under the same name has no two values to show.
            return {change: {"old": before, "new": after} for change, (before, after) in pairs.items()
                    if before != after}

        return {
            "added": [item(e) for e in self.added],
            "removed": [item(e) for e in self.removed],
            "changed": [{**item(self.new.elements[k]), "changes": list(v), "values": values(k, v)}
                        for k, v in sorted(self.changed.items())],
        }


# Changes shown with their old and new value (the others are structure: a flow, a boundary, a default).
VALUED_CHANGES = ("name", "role", "form", "letter", "deadline", "meets_deadline", "status", "timer", "condition",
                  "script")


def value_of(element: Element, change: str) -> str | None:
    """Return what an element has for one kind of change, as text (None: nothing)."""
    if change == "name":
        return element.name or None
    if change in _OWN_PROPERTIES:
        return element.properties.get(change)
    if change in ("timer", "condition"):
        found = _expressions(element, change)
        return "; ".join(source for _, source in found) or None
    if change == "script":
        return element.script
    return None


def element_changes(old: Element, new: Element, *, changed_forms: frozenset[str] = frozenset(),
                    changed_letters: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Return how an element differs between two versions (empty: unchanged).

    A form or letter also counts as changed when the element names the same one but its file differs
    between the versions (changed_forms: form names, changed_letters: letter kinds).
    """
    found = set()
    if old.kind != new.kind:
        found.add("kind")
    if old.name != new.name:
        found.add("name")
    if old.lane != new.lane:
        found.add("lane")
    for key in _OWN_PROPERTIES:
        if old.properties.get(key) != new.properties.get(key):
            found.add(key)
    if new.properties.get("form") in changed_forms:
        found.add("form")
    if new.properties.get("letter") in changed_letters:
        found.add("letter")
    others = set(old.properties) | set(new.properties)
    if any(old.properties.get(k) != new.properties.get(k) for k in others - set(_OWN_PROPERTIES)):
        found.add("properties")
    if _expressions(old, "timer") != _expressions(new, "timer"):
        found.add("timer")
    if _expressions(old, "condition") != _expressions(new, "condition"):
        found.add("condition")
    if old.script != new.script:
        found.add("script")
    if old.attached_to != new.attached_to:
        found.add("attached_to")
    if bool(old.cancel_activity) != bool(new.cancel_activity):
        found.add("interrupting")
    if old.has_default != new.has_default:
        found.add("default")
    if old.outputs != new.outputs:
        found.add("flow")
    return tuple(change for change in CHANGES if change in found)


def _expressions(element: Element, what: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((w, str(s)) for w, s in element.expressions if w.startswith(what)))


def diff_definitions(old: Definition, new: Definition, *, changed_forms: frozenset[str] = frozenset(),
                     changed_letters: frozenset[str] = frozenset()) -> Diff:
    """Compare the elements of two parsed definitions."""
    changed = {}
    for bpmn_id in sorted(set(old.elements) & set(new.elements)):
        changes = element_changes(old.elements[bpmn_id], new.elements[bpmn_id], changed_forms=changed_forms,
                                  changed_letters=changed_letters)
        if changes:
            changed[bpmn_id] = changes
    return Diff(
        added=tuple(new.elements[k] for k in sorted(set(new.elements) - set(old.elements))),
        removed=tuple(old.elements[k] for k in sorted(set(old.elements) - set(new.elements))),
        changed=changed,
        new=new,
        old=old,
    )


def _changed_files(old: ProcessVersion, new: ProcessVersion, kind: str) -> frozenset[str]:
    """Return the names of the kept files of a kind that differ between two versions (none without copies)."""
    before, after = file_hashes(old, kind), file_hashes(new, kind)
    if before is None or after is None:
        return frozenset()
    return frozenset(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def diff_versions(old: ProcessVersion, new: ProcessVersion) -> Diff:
    """Compare two deployed versions: their elements, and the forms and letter templates they keep."""
    letters = _changed_files(old, new, LETTER_TEMPLATE)
    kinds = frozenset(name.removesuffix(".docx") for name in letters if name.endswith(".docx"))
    return diff_definitions(load_definition(old), load_definition(new), changed_forms=_changed_files(old, new, FORM),
                            changed_letters=kinds)
