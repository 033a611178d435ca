"""Walk the Jinja syntax tree of a letter template: every name and attribute it reads must exist in the context.

Top-level names must be allowed (letter_context.KEYS and `practice`); below them a sample context tells what
exists, also inside loops (`offer.decided_on` for `offer in offers`). What a template may not do at all (reach
`_` attributes, include other files, define macros, multiply) is reported too: a template is untrusted input,
and rendering is sandboxed besides (render.py).
"""

import difflib
from collections.abc import Iterable, Mapping

from jinja2 import Environment, nodes

ANY = object()  # a value whose shape the sample does not tell
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_LENIENT = frozenset({"default", "d", "defined", "undefined"})  # these ask whether a name exists: no report

Finding = tuple[str, int | None, dict]  # (code, line of the source, message parameters)


def close_match(word: str, options: Iterable[str]) -> str | None:
    """Return the option most like word, if any is close."""
    found = difflib.get_close_matches(word, sorted(options), n=1)
    return found[0] if found else None


def _names(target: nodes.Node) -> list[str]:
    """Return the names a loop or assignment binds (its target is a name or a tuple of names)."""
    return [node.name for node in [target, *target.find_all(nodes.Name)] if isinstance(node, nodes.Name)]


def _path(node: nodes.Node) -> str | None:
    """Return the dotted path of a chain of names (addressee.name), or None (offers[0], a call's result)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _path(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node)
        return f"{base}.{node.arg.value}" if base else None
    return None


class NameCheck:
    """Check the names of one template's parts (body, headers, footers); `used` collects the context paths read.

    `sampled` turns False when the template reads a top-level name the sample has no value for: a render with the
    sample would then fail for a reason that is not the template's.
    """

    def __init__(self, sample: Mapping | None, *, allowed: set[str], env: Environment):
        self.sample = sample or {}
        self.allowed = allowed
        self.env = env
        self.used: set[str] = set()
        self.sampled = sample is not None
        self._seen: set[tuple[str, str]] = set()
        self._found: list[Finding] = []

    def walk(self, tree: nodes.Template) -> list[Finding]:
        """Return what is wrong in one part; a problem already found in an earlier part is not repeated."""
        self._found = []
        self.visit(tree, {})
        return self._found

    def report(self, code: str, node: nodes.Node, key: str, **params) -> None:
        if (code, key) not in self._seen:
            self._seen.add((code, key))
            self._found.append((code, getattr(node, "lineno", None), params))

    def visit(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.value(node, scope)
        elif isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            items = self.value(node.iter, scope, quiet=True)
            item = items[0] if isinstance(items, list) and items else ANY
            inner = {**scope, "loop": ANY}
            for name in _names(node.target):
                inner[name] = item if isinstance(node.target, nodes.Name) else ANY
            for child in [node.test, *node.body] if node.test else node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            for child in [node.node] if isinstance(node, nodes.Assign) else node.body:
                self.visit(child, scope)
            for name in _names(node.target):
                scope[name] = ANY
        elif isinstance(node, nodes.With):
            for value in node.values:
                self.visit(value, scope)
            inner = {**scope, **{name: ANY for target in node.targets for name in _names(target)}}
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            self.report("not_allowed", node, "macro", what="een macro ({% macro %} of {% call %})")
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            self.report("not_allowed", node, "include", what="een ander bestand invoegen (include, import, extends)")
        elif isinstance(node, nodes.Pow | nodes.Mul | nodes.FloorDiv | nodes.Mod):
            self.report("not_allowed", node, "arithmetic", what="rekenen met *, **, // of %")
        elif isinstance(node, nodes.Filter | nodes.Test):
            self.filter_or_test(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def filter_or_test(self, node: nodes.Filter | nodes.Test, scope: dict) -> None:
        known = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
        if node.name == "attr":
            self.report("not_allowed", node, "attr", what="het filter „attr”")
        elif node.name not in known:
            self.report("unknown_filter" if isinstance(node, nodes.Filter) else "unknown_test", node, node.name,
                        name=node.name, match=close_match(node.name, known))
        if node.node is not None:
            if node.name in _LENIENT and isinstance(node.node, nodes.Name | nodes.Getattr | nodes.Getitem):
                self.value(node.node, scope, quiet=True)
            else:
                self.visit(node.node, scope)
        for child in [*node.args, *(kw.value for kw in node.kwargs), node.dyn_args, node.dyn_kwargs]:
            if child is not None:
                self.visit(child, scope)

    def value(self, node: nodes.Node, scope: dict, quiet: bool = False) -> object:
        """Return the sample value an expression reads (ANY when unknown), reporting a name that does not exist."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.allowed:
                self.used.add(node.name)
                if node.name not in self.sample:
                    self.sampled = False
                return self.sample.get(node.name, ANY)
            if not quiet:
                self.report("unknown_name", node, node.name, name=node.name,
                            match=close_match(node.name, self.allowed))
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.member(node, self.value(node.node, scope, quiet), node.attr, scope, quiet)
        if isinstance(node, nodes.Getitem):
            base = self.value(node.node, scope, quiet)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(node, base, node.arg.value, scope, quiet)
            self.visit(node.arg, scope)
            if isinstance(node.arg, nodes.Slice):
                return base
            if isinstance(node.arg, nodes.Const) and isinstance(base, list) and base:
                return base[0]
            return ANY
        self.visit(node, scope)
        return ANY

    def member(self, node: nodes.Node, base: object, name: str, scope: dict, quiet: bool) -> object:
        path = _path(node)
        if name.startswith("_"):
            self.report("not_allowed", node, f"_{path}", what=f"„{path or name}” (een naam die met _ begint)")
            return ANY
        if path is not None and path.split(".")[0] not in scope:
            self.used.add(path)
        if not isinstance(base, Mapping):
            return ANY
        if name in base:
            return base[name]
        if name in _DICT_METHODS:
            return ANY
        if not quiet:
            parent = path.rsplit(".", 1)[0] if path else "?"
            match = close_match(name, base)
            self.report("unknown_attribute", node, path or name, path=path or name, parent=parent,
                        match=f"{parent}.{match}" if match else None, known=", ".join(sorted(base)) or "niets")
        return ANY
